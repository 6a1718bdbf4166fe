/// Why a safetensors file or checkpoint directory could not be read, naming the file.
public enum SafeTensorsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, stat'ed, mapped or written.
    case io(file: String, reason: String)
    /// The file ends before the 8-byte header length or before the header it announces.
    case truncated(file: String, needed: UInt64, available: Int)
    /// The announced header length is zero or above the 100 MB cap.
    case headerTooLarge(file: String, length: UInt64, maxLength: Int)
    /// The header is not a JSON object of the expected shape.
    case invalidHeader(file: String, reason: String)
    /// A tensor names a dtype this reader does not know.
    case unknownDType(file: String, tensor: String, dtype: String)
    /// Shape has a negative dimension, overflows, or disagrees with the byte range.
    case shapeMismatch(file: String, tensor: String, shape: [Int], dtype: String, numBytes: Int)
    /// A tensor's `data_offsets` are reversed or lie outside the data section.
    case offsetsOutOfRange(file: String, tensor: String, begin: Int, end: Int, dataSize: Int)
    /// Two tensors share bytes.
    case overlapping(file: String, tensor: String, other: String)
    /// The tensors leave bytes of the data section unused (the format forbids holes).
    case hole(file: String, offset: Int, nextTensor: String?)
    /// A tensor name that is not in this file or checkpoint.
    case tensorNotFound(file: String, tensor: String)
    /// The tensor cannot be converted to Float (dtype unsupported, or the output buffer is short).
    case unsupportedConversion(file: String, tensor: String, reason: String)
    /// A checkpoint directory has neither `model.safetensors` nor `model.safetensors.index.json`.
    case noCheckpoint(directory: String)
    /// The index names a shard file that does not exist.
    case missingShard(index: String, shard: String)
    /// A shard file name that could leave the checkpoint directory.
    case invalidShardName(index: String, shard: String)
    /// The index maps a tensor to a shard that does not hold it.
    case tensorMissingFromShard(index: String, tensor: String, shard: String)
    /// The same tensor name is stored in two shards, or given twice to a writer.
    case duplicateTensor(file: String, tensor: String, other: String)

    public var description: String {
        switch self {
        case .io(let file, let reason):
            return "\(file): \(reason)"
        case .truncated(let file, let needed, let available):
            return "\(file): truncated safetensors file: needs at least \(needed) bytes, has \(available)"
        case .headerTooLarge(let file, let length, let maxLength):
            return "\(file): safetensors header length \(length) is not in 1...\(maxLength)"
        case .invalidHeader(let file, let reason):
            return "\(file): invalid safetensors JSON header: \(reason)"
        case .unknownDType(let file, let tensor, let dtype):
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file): tensor '\(tensor)' has unknown dtype '\(dtype)' (known: \(known))"
        case .shapeMismatch(let file, let tensor, let shape, let dtype, let numBytes):
            return "\(file): tensor '\(tensor)' shape \(shape) of \(dtype) does not match its \(numBytes) data bytes"
        case .offsetsOutOfRange(let file, let tensor, let begin, let end, let dataSize):
            return "\(file): tensor '\(tensor)' data_offsets [\(begin), \(end)] outside the data section of \(dataSize) bytes"
        case .overlapping(let file, let tensor, let other):
            return "\(file): tensors '\(tensor)' and '\(other)' overlap"
        case .hole(let file, let offset, let nextTensor):
            let next = nextTensor.map { "before tensor '\($0)'" } ?? "at the end of the data section"
            return "\(file): data section has unused bytes from offset \(offset) \(next)"
        case .tensorNotFound(let file, let tensor):
            return "\(file): no tensor named '\(tensor)'"
        case .unsupportedConversion(let file, let tensor, let reason):
            return "\(file): cannot convert tensor '\(tensor)' to Float: \(reason)"
        case .noCheckpoint(let directory):
            return "\(directory): no model.safetensors or model.safetensors.index.json"
        case .missingShard(let index, let shard):
            return "\(index): shard file '\(shard)' does not exist"
        case .invalidShardName(let index, let shard):
            return "\(index): shard name '\(shard)' must be a plain file name (no '/', '\\' or '..')"
        case .tensorMissingFromShard(let index, let tensor, let shard):
            return "\(index): weight_map puts '\(tensor)' in '\(shard)', which does not contain it"
        case .duplicateTensor(let file, let tensor, let other):
            return "\(file): tensor '\(tensor)' appears twice (also in \(other))"
        }
    }
}
