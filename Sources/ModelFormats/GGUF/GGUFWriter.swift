#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Glibc)
private let systemWrite = Glibc.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#elseif canImport(Darwin)
private let systemWrite = Darwin.write
#endif

/// Builds a GGUF v3 file from metadata and raw tensor bytes (for tests and tools that write
/// small models). Metadata and tensors are written in the order they were added; each
/// tensor's data is padded to `alignment`.
public struct GGUFWriter: Sendable {
    /// One tensor to write.
    public struct Tensor: Sendable {
        public var name: String
        public var type: GGMLType
        /// GGUF order: `shape[0]` is the row length.
        public var shape: [Int]
        public var data: [UInt8]
    }

    /// The data alignment; written as `general.alignment` (u32) when it is not 32.
    public let alignment: Int
    public private(set) var metadataKeys: [String] = []
    public private(set) var metadata: [String: GGUFValue] = [:]
    public private(set) var tensors: [Tensor] = []

    /// A writer aligning tensor data to `alignment` bytes (a power of two).
    public init(alignment: Int = GGUFFile.defaultAlignment) throws {
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= Int(UInt32.max) else {
            throw GGUFWriterError.badAlignment(alignment)
        }
        self.alignment = alignment
        if alignment != GGUFFile.defaultAlignment {
            try addMetadata("general.alignment", .uint32(UInt32(alignment)))
        }
    }

    /// Adds one metadata entry. Arrays must hold elements of one type.
    public mutating func addMetadata(_ key: String, _ value: GGUFValue) throws {
        guard metadata[key] == nil else { throw GGUFWriterError.duplicateKey(key) }
        try Self.checkHomogeneous(value, key: key)
        metadata[key] = value
        metadataKeys.append(key)
    }

    /// Adds a tensor; `data` must be exactly the bytes `shape` and `type` need.
    public mutating func addTensor(name: String, type: GGMLType, shape: [Int], data: [UInt8]) throws {
        guard !tensors.contains(where: { $0.name == name }) else {
            throw GGUFWriterError.duplicateTensorName(name)
        }
        var numElements = 1
        for dim in shape {
            let (product, overflow) = numElements.multipliedReportingOverflow(by: dim)
            guard dim > 0, !overflow else { throw GGUFWriterError.badShape(tensor: name, shape: shape, type: type) }
            numElements = product
        }
        guard shape.count <= GGUFTensorInfo.maxDims, (shape.first ?? 1) % type.blockSize == 0,
              let expected = type.byteCount(numElements: numElements)
        else {
            throw GGUFWriterError.badShape(tensor: name, shape: shape, type: type)
        }
        guard data.count == expected else {
            throw GGUFWriterError.sizeMismatch(tensor: name, expected: expected, actual: data.count)
        }
        tensors.append(Tensor(name: name, type: type, shape: shape, data: data))
    }

    /// The complete file.
    public func serialized() -> [UInt8] {
        var out = GGUFEncoder()
        out.bytes.append(contentsOf: Array("GGUF".utf8))
        out.append(UInt32(3))
        out.append(UInt64(tensors.count))
        out.append(UInt64(metadataKeys.count))
        for key in metadataKeys {
            guard let value = metadata[key] else { continue }
            out.append(string: key)
            out.append(UInt32(GGUFValueType(of: value).rawValue))
            out.append(value: value)
        }
        var dataOffset = 0
        var offsets: [Int] = []
        for tensor in tensors {
            offsets.append(dataOffset)
            dataOffset = Self.alignUp(dataOffset + tensor.data.count, alignment)
        }
        for (tensor, offset) in zip(tensors, offsets) {
            out.append(string: tensor.name)
            out.append(UInt32(tensor.shape.count))
            for dim in tensor.shape { out.append(UInt64(dim)) }
            out.append(tensor.type.rawValue)
            out.append(UInt64(offset))
        }
        out.pad(to: alignment)
        for tensor in tensors {
            out.bytes.append(contentsOf: tensor.data)
            out.pad(to: alignment)
        }
        return out.bytes
    }

    /// Writes the file to `path`, replacing what is there.
    public func write(to path: String) throws {
        let bytes = serialized()
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw GGUFWriterError.cannotWrite(path: path, reason: "errno \(errno)")
        }
        defer { close(fd) }
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var written = 0
            while written < raw.count {
                let result = systemWrite(fd, base + written, raw.count - written)
                guard result > 0 else {
                    throw GGUFWriterError.cannotWrite(path: path, reason: "errno \(errno)")
                }
                written += result
            }
        }
    }

    static func alignUp(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) & ~(alignment - 1)
    }

    private static func checkHomogeneous(_ value: GGUFValue, key: String) throws {
        guard case .array(.values(let elements)) = value, let first = elements.first else { return }
        let type = GGUFValueType(of: first)
        for element in elements {
            guard GGUFValueType(of: element) == type else { throw GGUFWriterError.mixedArray(key: key) }
            try checkHomogeneous(element, key: key)
        }
    }
}
