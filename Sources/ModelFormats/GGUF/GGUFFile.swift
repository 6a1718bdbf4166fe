/// A GGUF model file (version 2 or 3), memory-mapped and validated.
///
/// Opening checks the whole header: metadata, tensor infos, alignment, and that every tensor
/// lies inside the file without overlapping another. Tensor data is never copied: `data(for:)`
/// returns a view into the mapping, valid while this object lives.
///
/// Strings (keys, values, tensor names) that are not valid UTF-8 are decoded lossily: each
/// invalid sequence becomes U+FFFD. Duplicate keys or names that result are still rejected.
public final class GGUFFile: Sendable {
    /// The alignment used when `general.alignment` is absent.
    public static let defaultAlignment = 32

    /// The path the file was opened from.
    public let path: String
    /// The GGUF version (2 or 3).
    public let version: UInt32
    /// Metadata values by key.
    public let metadata: [String: GGUFValue]
    /// Metadata keys in file order.
    public let metadataKeys: [String]
    /// Tensor infos in file order.
    public let tensors: [GGUFTensorInfo]
    /// The data-section alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// File offset where the data section (tensor offset 0) starts.
    public let dataOffset: Int

    private let mapping: MappedFile
    private let tensorIndex: [String: Int]

    /// Size of the file in bytes.
    public var fileSize: Int { mapping.count }

    /// Drops the pages of `bytes` (a tensor's data, from `data(for:)`) from resident memory once
    /// it lives elsewhere (packed weights); see `MappedFile.releaseResidentPages`. Returns the
    /// bytes released.
    @discardableResult
    public func releaseResidentPages(_ bytes: UnsafeRawBufferPointer) -> Int {
        mapping.releaseResidentPages(bytes)
    }

    /// Maps and parses the GGUF file at `path`.
    public convenience init(path: String) throws {
        let mapping: MappedFile
        do {
            mapping = try MappedFile(path: path)
        } catch let error as MappedFileError {
            throw GGUFError.cannotOpen(path: path, reason: error.description)
        }
        try self.init(mapping: mapping)
    }

    /// Parses an already mapped file.
    public init(mapping: MappedFile) throws {
        let header = try GGUFHeaderParser.parse(bytes: mapping.bytes, path: mapping.path)
        self.mapping = mapping
        self.path = mapping.path
        self.version = header.version
        self.metadata = header.metadata
        self.metadataKeys = header.metadataKeys
        self.tensors = header.tensors
        self.alignment = header.alignment
        self.dataOffset = header.dataOffset
        var index: [String: Int] = [:]
        index.reserveCapacity(header.tensors.count)
        for (i, tensor) in header.tensors.enumerated() {
            index[tensor.name] = i
        }
        self.tensorIndex = index
    }

    /// Opens the GGUF file at `path`; the same as `init(path:)`.
    public static func open(_ path: String) throws -> GGUFFile {
        try GGUFFile(path: path)
    }

    /// The tensor called `name`, or nil.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The tensor's bytes, a view into the mapping (no copy). Valid while this file lives.
    /// Returns an empty buffer for a tensor info that does not lie inside this file.
    public func data(for tensor: GGUFTensorInfo) -> UnsafeRawBufferPointer {
        let (start, overflow) = dataOffset.addingReportingOverflow(tensor.offset)
        guard !overflow, tensor.byteCount >= 0, start >= 0, start <= fileSize,
              tensor.byteCount <= fileSize - start
        else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<start + tensor.byteCount])
    }
}
