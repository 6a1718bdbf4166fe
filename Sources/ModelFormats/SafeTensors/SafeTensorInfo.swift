/// One tensor of a safetensors file, as its header describes it (validated).
public struct SafeTensorInfo: Sendable, Equatable {
    /// The tensor's name in the header, e.g. `model.layers.0.self_attn.q_proj.weight`.
    public let name: String
    /// The element type.
    public let dtype: SafeTensorsDType
    /// Dimensions, outermost first (row-major, "C" order); empty for a scalar.
    public let shape: [Int]
    /// Byte range relative to the start of the data section (`data_offsets` in the header).
    public let byteRange: Range<Int>

    /// Number of elements (product of `shape`; 1 for a scalar).
    public var numElements: Int { byteRange.count / dtype.byteSize }

    /// Number of bytes of data.
    public var numBytes: Int { byteRange.count }
}
