import Foundation

/// A safetensors file opened through mmap; tensors are views into the mapping, not copies.
///
/// The header is fully validated on open (see `SafeTensorsHeader`): every tensor lies inside
/// the data section, sizes match shapes, and the tensors tile the data section exactly.
public final class SafeTensorsFile: Sendable {
    /// The path given when opening (or the name given to `init(bytes:name:)`); used in errors.
    public let path: String
    /// All tensors, sorted by data offset.
    public let tensors: [SafeTensorInfo]
    /// The header's `__metadata__` map (empty when absent).
    public let metadata: [String: String]

    private let mapping: MappedFile
    private let dataStart: Int
    private let indexByName: [String: Int]

    /// Maps and validates the file at `path`.
    public convenience init(path: String) throws {
        let mapping: MappedFile
        do {
            mapping = try MappedFile(path: path)
        } catch let error as MappedFileError {
            throw SafeTensorsError.io(file: path, reason: error.description)
        }
        try self.init(mapping: mapping, path: path)
    }

    /// Maps and validates the file at `url`.
    public convenience init(url: URL) throws {
        try self.init(path: url.path)
    }

    /// Validates a file held in memory (the bytes are copied); `name` appears in errors.
    public convenience init(bytes: [UInt8], name: String) throws {
        try self.init(mapping: MappedFile(copying: bytes, name: name), path: name)
    }

    private init(mapping: MappedFile, path: String) throws {
        let header = try SafeTensorsHeader(bytes: mapping.bytes, file: path)
        self.mapping = mapping
        self.path = path
        self.tensors = header.tensors
        self.metadata = header.metadata
        self.dataStart = header.dataStart
        var index: [String: Int] = [:]
        index.reserveCapacity(header.tensors.count)
        for (i, info) in header.tensors.enumerated() { index[info.name] = i }
        self.indexByName = index
    }

    /// Absolute file offset where the data section (and so every `byteRange`) starts.
    public var dataSectionOffset: Int { dataStart }

    /// The tensor called `name`, or nil.
    public func tensor(named name: String) -> SafeTensorInfo? {
        indexByName[name].map { tensors[$0] }
    }

    /// The raw little-endian bytes of `tensor`: a view valid while this file object lives.
    /// Throws `tensorNotFound` when `tensor` is not one of this file's tensors.
    public func data(for tensor: SafeTensorInfo) throws -> UnsafeRawBufferPointer {
        guard let i = indexByName[tensor.name], tensors[i] == tensor else {
            throw SafeTensorsError.tensorNotFound(file: path, tensor: tensor.name)
        }
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[(dataStart + tensor.byteRange.lowerBound)..<(dataStart + tensor.byteRange.upperBound)])
    }

    /// The raw bytes of the tensor called `name`.
    public func data(forTensorNamed name: String) throws -> UnsafeRawBufferPointer {
        guard let info = tensor(named: name) else {
            throw SafeTensorsError.tensorNotFound(file: path, tensor: name)
        }
        return try data(for: info)
    }

    /// The tensor's elements converted to Float (F32, F16, BF16, I8, U8, F8_E4M3, F8_E5M2).
    public func toFloat(_ tensor: SafeTensorInfo) throws -> [Float] {
        let bytes = try convertibleData(for: tensor)
        let count = tensor.numElements
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let start = buffer.baseAddress {
                FloatDecoding.convert(bytes, dtype: tensor.dtype, count: count, into: start)
            }
            initialized = count
        }
    }

    /// Converts the tensor's elements into the start of `destination`, which must hold at
    /// least `tensor.numElements` values.
    public func toFloat(_ tensor: SafeTensorInfo, into destination: UnsafeMutableBufferPointer<Float>) throws {
        let bytes = try convertibleData(for: tensor)
        let count = tensor.numElements
        guard destination.count >= count else {
            throw SafeTensorsError.unsupportedConversion(
                file: path, tensor: tensor.name,
                reason: "destination holds \(destination.count) values, tensor has \(count)")
        }
        guard count > 0, let start = destination.baseAddress else { return }
        FloatDecoding.convert(bytes, dtype: tensor.dtype, count: count, into: start)
    }

    private func convertibleData(for tensor: SafeTensorInfo) throws -> UnsafeRawBufferPointer {
        guard tensor.dtype.isConvertibleToFloat else {
            throw SafeTensorsError.unsupportedConversion(
                file: path, tensor: tensor.name,
                reason: "dtype \(tensor.dtype.rawValue) is not one of F32, F16, BF16, I8, U8, F8_E4M3, F8_E5M2")
        }
        return try data(for: tensor)
    }
}
