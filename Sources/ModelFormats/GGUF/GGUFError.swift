/// Why a GGUF file was rejected. Every message names the file and the problem.
public enum GGUFError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The first four bytes are not "GGUF".
    case wrongMagic(path: String, found: [UInt8])
    /// A GGUF version other than 2 or 3.
    case unsupportedVersion(path: String, version: UInt32)
    /// The file ended at `offset` while reading `reading`.
    case truncated(path: String, offset: Int, reading: String)
    /// A count or length larger than the remaining bytes could hold.
    case absurdCount(path: String, offset: Int, what: String, count: UInt64, remainingBytes: Int)
    /// A metadata value type id outside 0...12.
    case unknownValueType(path: String, offset: Int, key: String, typeID: UInt32)
    /// A bool byte other than 0 or 1.
    case invalidBool(path: String, offset: Int, key: String, byte: UInt8)
    /// Arrays nested deeper than `maxDepth`.
    case nestingTooDeep(path: String, key: String, maxDepth: Int)
    /// The same metadata key twice.
    case duplicateKey(path: String, key: String)
    /// `general.alignment` is not a positive power of two (or not an integer).
    case badAlignment(path: String, value: String)
    /// A tensor type id GGML does not define (or has removed).
    case unknownTensorType(path: String, tensor: String, typeID: UInt32)
    /// More than `GGUFTensorInfo.maxDims` dimensions.
    case tooManyDims(path: String, tensor: String, numDims: UInt32)
    /// A dimension of zero or one too large to be an element count.
    case invalidDimension(path: String, tensor: String, index: Int, value: UInt64)
    /// The product of the dimensions (or the byte size) overflows.
    case elementCountOverflow(path: String, tensor: String)
    /// The first dimension is not a multiple of the type's block size.
    case rowNotMultipleOfBlock(path: String, tensor: String, type: GGMLType, ne0: Int)
    /// The tensor's bytes run past the end of the file (`offset` is relative to the data section).
    case tensorOutOfBounds(path: String, tensor: String, offset: UInt64, byteCount: Int, dataOffset: Int, fileSize: Int)
    /// The tensor offset is not a multiple of the alignment.
    case misalignedTensor(path: String, tensor: String, offset: UInt64, alignment: Int)
    /// Two tensors share bytes.
    case overlappingTensors(path: String, first: String, second: String)
    /// The same tensor name twice.
    case duplicateTensorName(path: String, name: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open GGUF file: \(reason)"
        case .wrongMagic(let path, let found):
            let hex = found.map { String($0, radix: 16) }.joined(separator: " ")
            return "\(path): not a GGUF file (magic bytes [\(hex)], expected \"GGUF\")"
        case .unsupportedVersion(let path, let version):
            let hint = version > 0xFFFF ? " (a big-endian file?)" : ""
            return "\(path): unsupported GGUF version \(version)\(hint); only versions 2 and 3 are read"
        case .truncated(let path, let offset, let reading):
            return "\(path): file truncated at offset \(offset) while reading \(reading)"
        case .absurdCount(let path, let offset, let what, let count, let remaining):
            return "\(path): \(what) at offset \(offset) is \(count), more than the \(remaining) remaining bytes can hold"
        case .unknownValueType(let path, let offset, let key, let typeID):
            return "\(path): unknown metadata value type \(typeID) for key '\(key)' at offset \(offset)"
        case .invalidBool(let path, let offset, let key, let byte):
            return "\(path): bool value \(byte) (not 0 or 1) for key '\(key)' at offset \(offset)"
        case .nestingTooDeep(let path, let key, let maxDepth):
            return "\(path): arrays nested deeper than \(maxDepth) levels in key '\(key)'"
        case .duplicateKey(let path, let key):
            return "\(path): metadata key '\(key)' appears more than once"
        case .badAlignment(let path, let value):
            return "\(path): general.alignment must be a power-of-two integer > 0, found \(value)"
        case .unknownTensorType(let path, let tensor, let typeID):
            return "\(path): tensor '\(tensor)' has unknown GGML type id \(typeID)"
        case .tooManyDims(let path, let tensor, let numDims):
            return "\(path): tensor '\(tensor)' has \(numDims) dimensions (at most \(GGUFTensorInfo.maxDims))"
        case .invalidDimension(let path, let tensor, let index, let value):
            return "\(path): tensor '\(tensor)' dimension \(index) is \(value) (must be between 1 and \(Int64.max))"
        case .elementCountOverflow(let path, let tensor):
            return "\(path): tensor '\(tensor)' element count or byte size overflows"
        case .rowNotMultipleOfBlock(let path, let tensor, let type, let ne0):
            return "\(path): tensor '\(tensor)' of type \(type.name) has first dimension \(ne0), not a multiple of the block size \(type.blockSize)"
        case .tensorOutOfBounds(let path, let tensor, let offset, let byteCount, let dataOffset, let fileSize):
            return "\(path): tensor '\(tensor)' (\(byteCount) bytes at offset \(offset) of the data section, which starts at \(dataOffset)) runs past the end of the file (\(fileSize) bytes)"
        case .misalignedTensor(let path, let tensor, let offset, let alignment):
            return "\(path): tensor '\(tensor)' offset \(offset) is not a multiple of the alignment \(alignment)"
        case .overlappingTensors(let path, let first, let second):
            return "\(path): tensors '\(first)' and '\(second)' overlap"
        case .duplicateTensorName(let path, let name):
            return "\(path): tensor name '\(name)' appears more than once"
        }
    }
}
