import CKernels

/// Element type of the KV cache (vLLM's `--kv-cache-dtype`). Keys and values are rounded to it
/// (to nearest even) when written and widened to Float when attention reads them; the
/// arithmetic stays in Float.
public enum KVCacheDType: String, Sendable, CaseIterable {
    /// 4 bytes per element: exact.
    case float32
    /// IEEE half, 2 bytes: 10 mantissa bits, range ±65504.
    case float16
    /// bfloat16, 2 bytes: 7 mantissa bits, Float's range.
    case bfloat16
    /// FP8 E4M3 (vLLM's `fp8` / `fp8_e4m3`), 1 byte: 3 mantissa bits, largest 448; larger values
    /// saturate. Scale 1 (no per-tensor k/v scales).
    case fp8E4M3 = "fp8_e4m3"
    /// FP8 E5M2 (vLLM's `fp8_e5m2`), 1 byte: 2 mantissa bits, half's range (largest 57,344).
    case fp8E5M2 = "fp8_e5m2"

    /// The default: float16 halves the KV bytes (and attention's reads) and passes the
    /// forward-pass accuracy bar (RealModelReferenceTests).
    public static let defaultType = KVCacheDType.float16

    /// Bytes per element.
    /// Whether elements are one of the 8-bit floats (the types a checkpoint's k/v scales apply to).
    public var isFP8: Bool { self == .fp8E4M3 || self == .fp8E5M2 }

    public var byteCount: Int {
        switch self {
        case .float32: 4
        case .float16, .bfloat16: 2
        case .fp8E4M3, .fp8E5M2: 1
        }
    }

    /// Parses a `--kv-cache-dtype` value: auto (the default), float32/fp32, float16/fp16/half,
    /// bfloat16/bf16, fp8/fp8_e4m3, fp8_e5m2. Nil for anything else.
    public init?(flag: String) {
        switch flag.lowercased() {
        case "auto": self = Self.defaultType
        case "float32", "fp32", "f32": self = .float32
        case "float16", "fp16", "f16", "half": self = .float16
        case "bfloat16", "bf16": self = .bfloat16
        case "fp8", "fp8_e4m3": self = .fp8E4M3
        case "fp8_e5m2": self = .fp8E5M2
        default: return nil
        }
    }

    var cValue: Int32 {
        switch self {
        case .float32: Int32(SW_KV_F32)
        case .float16: Int32(SW_KV_F16)
        case .bfloat16: Int32(SW_KV_BF16)
        case .fp8E4M3: Int32(SW_KV_FP8_E4M3)
        case .fp8E5M2: Int32(SW_KV_FP8_E5M2)
        }
    }
}
