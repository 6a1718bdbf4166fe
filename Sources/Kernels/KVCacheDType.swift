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

    /// The default: float16 halves the KV bytes (and attention's reads) and passes the
    /// forward-pass accuracy bar (RealModelReferenceTests).
    public static let defaultType = KVCacheDType.float16

    /// Bytes per element.
    public var byteCount: Int { self == .float32 ? 4 : 2 }

    /// Parses a `--kv-cache-dtype` value: auto (the default), float32/fp32, float16/fp16/half,
    /// bfloat16/bf16. Nil for anything else.
    public init?(flag: String) {
        switch flag.lowercased() {
        case "auto": self = Self.defaultType
        case "float32", "fp32", "f32": self = .float32
        case "float16", "fp16", "f16", "half": self = .float16
        case "bfloat16", "bf16": self = .bfloat16
        default: return nil
        }
    }

    var cValue: Int32 {
        switch self {
        case .float32: Int32(SW_KV_F32)
        case .float16: Int32(SW_KV_F16)
        case .bfloat16: Int32(SW_KV_BF16)
        }
    }
}
