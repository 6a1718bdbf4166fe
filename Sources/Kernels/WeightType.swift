import CKernels

/// Stored weight types the kernels read (GGML spellings; block layouts as GGML's ggml-common.h),
/// plus the load-time layouts of Hugging Face quantized checkpoints (no GGUF type): `f8_e4m3_b32`
/// (FP8 E4M3 codes), `i8_b32` (8-bit integers) and `u4_b32` (4-bit integers with a zero point),
/// each a block of 32 behind F32 scales (CKernels.h gives the byte layouts).
public enum WeightType: String, Sendable, CaseIterable {
    case f32, f16, bf16, q4_0, q4_1, q5_0, q5_1, q8_0, q2_K, q3_K, q4_K, q5_K, q6_K
    /// FP8 E4M3 codes in blocks of 32 behind their F32 (per-channel or per-tensor) scale: 36 bytes.
    case f8_e4m3_b32
    /// 8-bit signed integer codes in blocks of 32 behind their F32 scale: 36 bytes.
    case i8_b32
    /// 4-bit codes in blocks of 32 behind an F32 scale and an F32 zero point: 24 bytes.
    case u4_b32

    /// Elements per block: 1 for the float types, 32 for the legacy quants, 256 for K-quants.
    public var blockSize: Int { Int(sw_block_size(cValue)) }

    /// Bytes per block.
    public var typeSize: Int { Int(sw_type_size(cValue)) }

    /// Whether GGUF files store this type (all but the load-time layouts).
    public var isGGMLType: Bool { ![.f8_e4m3_b32, .i8_b32, .u4_b32].contains(self) }

    /// The CKernels SW_* constant of this type.
    var cValue: Int32 {
        switch self {
        case .f32: Int32(SW_F32)
        case .f16: Int32(SW_F16)
        case .bf16: Int32(SW_BF16)
        case .q4_0: Int32(SW_Q4_0)
        case .q4_1: Int32(SW_Q4_1)
        case .q5_0: Int32(SW_Q5_0)
        case .q5_1: Int32(SW_Q5_1)
        case .q8_0: Int32(SW_Q8_0)
        case .q2_K: Int32(SW_Q2_K)
        case .q3_K: Int32(SW_Q3_K)
        case .q4_K: Int32(SW_Q4_K)
        case .q5_K: Int32(SW_Q5_K)
        case .q6_K: Int32(SW_Q6_K)
        case .f8_e4m3_b32: Int32(SW_F8_E4M3_B32)
        case .i8_b32: Int32(SW_I8_B32)
        case .u4_b32: Int32(SW_U4_B32)
        }
    }
}
