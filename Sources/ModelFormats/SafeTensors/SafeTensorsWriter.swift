import Foundation

/// Builds a valid safetensors file from tensors given as raw little-endian bytes.
///
/// Tensors are laid out in the order they were added; the JSON header lists `__metadata__`
/// first and is padded with spaces to a multiple of 8 bytes so tensor data starts aligned.
public struct SafeTensorsWriter: Sendable {
    private struct Entry: Sendable {
        let name: String
        let dtype: SafeTensorsDType
        let shape: [Int]
        let bytes: [UInt8]
    }

    private var entries: [Entry] = []
    private var names: Set<String> = []
    /// String annotations stored as the header's `__metadata__` (omitted when empty).
    public var metadata: [String: String]

    /// An empty writer with optional metadata.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds a tensor. Throws when the name is taken, reserved, or the byte count does not
    /// match `shape` and `dtype`.
    public mutating func add(name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) throws {
        guard name != "__metadata__" else {
            throw SafeTensorsError.invalidHeader(file: "<writer>", reason: "'__metadata__' is reserved")
        }
        guard !names.contains(name) else {
            throw SafeTensorsError.duplicateTensor(file: "<writer>", tensor: name, other: "<writer>")
        }
        var numBytes = dtype.byteSize
        for dim in shape {
            let (product, overflow) = numBytes.multipliedReportingOverflow(by: dim)
            guard dim >= 0, !overflow else { numBytes = -1; break }
            numBytes = product
        }
        guard numBytes == bytes.count else {
            throw SafeTensorsError.shapeMismatch(file: "<writer>", tensor: name, shape: shape,
                                                 dtype: dtype.rawValue, numBytes: bytes.count)
        }
        names.insert(name)
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds a float32 tensor.
    public mutating func add(name: String, shape: [Int], floats: [Float]) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(floats.count * 4)
        for value in floats {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        try add(name: name, dtype: .f32, shape: shape, bytes: bytes)
    }

    /// The complete file contents.
    public func serialized() -> [UInt8] {
        let prefix = Self.headerBytes(
            for: entries.map { TensorEntry(name: $0.name, dtype: $0.dtype, shape: $0.shape, byteCount: $0.bytes.count) },
            metadata: metadata)
        var out: [UInt8] = []
        out.reserveCapacity(prefix.count + entries.reduce(0) { $0 + $1.bytes.count })
        out.append(contentsOf: prefix)
        for entry in entries { out.append(contentsOf: entry.bytes) }
        return out
    }

    /// Writes the file to `url` atomically.
    public func write(to url: URL) throws {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw SafeTensorsError.io(file: url.path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// One tensor as the header declares it.
    public struct TensorEntry: Sendable {
        public var name: String
        public var dtype: SafeTensorsDType
        public var shape: [Int]
        public var byteCount: Int
        public init(name: String, dtype: SafeTensorsDType, shape: [Int], byteCount: Int) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.byteCount = byteCount
        }
    }

    /// The start of a safetensors file: the 8-byte little-endian header length and the JSON header
    /// (metadata, then each tensor with consecutive data offsets), padded with spaces to 8 bytes.
    /// The tensors' bytes follow in the same order. Streaming writers use this to write large files.
    public static func headerBytes(for tensors: [TensorEntry], metadata: [String: String]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for tensor in tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            let end = offset + tensor.byteCount
            fields.append("\(JSONText.quoted(tensor.name)):{\"dtype\":\"\(tensor.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        return out + header
    }

}
