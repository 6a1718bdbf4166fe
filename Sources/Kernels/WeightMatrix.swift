/// A weight matrix in its stored type: `rows` output features, each a row of `cols` input
/// weights stored contiguously (GGUF order: ne0 = cols, ne1 = rows). `data` is not owned: it
/// points into an mmap'd file or a buffer the caller keeps alive. Sizes are not validated
/// here (Models checks them against the file): `cols` must be a multiple of the block size.
public struct WeightMatrix: @unchecked Sendable {
    /// Stored element type.
    public let type: WeightType
    /// Output features (matmul output width).
    public let rows: Int
    /// Input features (matmul reduction length).
    public let cols: Int
    /// Start of row 0.
    public let data: UnsafeRawPointer
    /// The same weights repacked for a faster matmul kernel (`packedForMatmul()`), or nil.
    /// `matmul` reads these when present; row lookups (`dequantizeRow`) always read `data`.
    public let packed: PackedWeights?
    /// The input order of the stored columns when it is not the input's own (GPTQ activation
    /// order), nil otherwise: callers gather x into it before `Kernels.matmul`.
    public let columnOrder: ColumnOrder?
    /// The checkpoint's static scale for this matrix's input (FP8 `input_scale`), nil otherwise:
    /// callers round x with it before `Kernels.matmul`.
    public let inputScale: Float?

    /// A view of `rows` stored rows of `cols` elements each at `data`, its columns in
    /// `columnOrder` (nil: the input's order), its input rounded with `inputScale` when given.
    public init(type: WeightType, rows: Int, cols: Int, data: UnsafeRawPointer, columnOrder: ColumnOrder? = nil,
                inputScale: Float? = nil) {
        self.init(type: type, rows: rows, cols: cols, data: data, packed: nil, columnOrder: columnOrder, inputScale: inputScale)
    }

    init(type: WeightType, rows: Int, cols: Int, data: UnsafeRawPointer, packed: PackedWeights?, columnOrder: ColumnOrder?,
         inputScale: Float?) {
        self.type = type
        self.rows = rows
        self.cols = cols
        self.data = data
        self.packed = packed
        self.columnOrder = columnOrder
        self.inputScale = inputScale
    }

    /// Bytes of one stored row.
    public var rowByteCount: Int { cols / type.blockSize * type.typeSize }
}
