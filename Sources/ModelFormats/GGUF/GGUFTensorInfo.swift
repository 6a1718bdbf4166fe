/// One tensor described by a GGUF file: where its bytes are and how to read them.
public struct GGUFTensorInfo: Sendable, Equatable {
    /// GGML's limit on tensor dimensions (GGML_MAX_DIMS).
    public static let maxDims = 4

    /// The tensor name, e.g. "blk.0.attn_q.weight".
    public let name: String
    /// Dimensions in GGUF order: `shape[0]` (ne0) is the contiguous row length.
    public let shape: [Int]
    /// The element type.
    public let type: GGMLType
    /// Offset of the first byte, relative to the start of the file's data section.
    public let offset: Int
    /// Bytes the tensor occupies.
    public let byteCount: Int
    /// Product of `shape`.
    public let numElements: Int

    public init(name: String, shape: [Int], type: GGMLType, offset: Int, byteCount: Int, numElements: Int) {
        self.name = name
        self.shape = shape
        self.type = type
        self.offset = offset
        self.byteCount = byteCount
        self.numElements = numElements
    }

    /// Number of rows: the product of every dimension after the first.
    public var numRows: Int { shape.isEmpty ? 1 : numElements / max(shape[0], 1) }

    /// Bytes of one row (of `shape[0]` elements).
    public var rowByteCount: Int { numRows == 0 ? 0 : byteCount / numRows }
}
