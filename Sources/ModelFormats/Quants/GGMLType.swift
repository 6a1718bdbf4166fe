/// A GGML tensor element type, with GGML's numeric ids (as stored in GGUF tensor infos).
///
/// Ids 4, 5 (Q4_2, Q4_3), 31...33 (Q4_0_4_4, Q4_0_4_8, Q4_0_8_8) and 36...38 (IQ4_NL_4_4,
/// IQ4_NL_4_8, IQ4_NL_8_8) were removed from GGML and are unknown here.
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q8_1 = 9
    case q2_K = 10
    case q3_K = 11
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case q8_K = 15
    case iq2_xxs = 16
    case iq2_xs = 17
    case iq3_xxs = 18
    case iq1_s = 19
    case iq4_nl = 20
    case iq3_s = 21
    case iq2_s = 22
    case iq4_xs = 23
    case i8 = 24
    case i16 = 25
    case i32 = 26
    case i64 = 27
    case f64 = 28
    case iq1_m = 29
    case bf16 = 30
    case tq1_0 = 34
    case tq2_0 = 35
    case mxfp4 = 39

    /// The GGML type id as stored in GGUF.
    public var typeID: UInt32 { rawValue }

    /// Number of elements in one block (1 for plain element types).
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16, .i8, .i16, .i32, .i64, .f64: return 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q8_1, .iq4_nl, .mxfp4: return 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K, .iq2_xxs, .iq2_xs, .iq3_xxs, .iq1_s,
             .iq3_s, .iq2_s, .iq4_xs, .iq1_m, .tq1_0, .tq2_0:
            return GGMLBlockLayout.qkK
        }
    }

    /// Bytes in one block (bytes per element for plain element types).
    public var typeSize: Int {
        switch self {
        case .f32: return 4
        case .f16, .bf16: return 2
        case .i8: return 1
        case .i16: return 2
        case .i32: return 4
        case .i64, .f64: return 8
        case .q4_0: return GGMLBlockLayout.Q4_0.size
        case .q4_1: return GGMLBlockLayout.Q4_1.size
        case .q5_0: return GGMLBlockLayout.Q5_0.size
        case .q5_1: return GGMLBlockLayout.Q5_1.size
        case .q8_0: return GGMLBlockLayout.Q8_0.size
        case .q8_1: return GGMLBlockLayout.Q8_1.size
        case .q2_K: return GGMLBlockLayout.Q2_K.size
        case .q3_K: return GGMLBlockLayout.Q3_K.size
        case .q4_K: return GGMLBlockLayout.Q4_K.size
        case .q5_K: return GGMLBlockLayout.Q5_K.size
        case .q6_K: return GGMLBlockLayout.Q6_K.size
        case .q8_K: return GGMLBlockLayout.Q8_K.size
        case .iq2_xxs: return 66
        case .iq2_xs: return 74
        case .iq3_xxs: return 98
        case .iq1_s: return 50
        case .iq4_nl: return 18
        case .iq3_s: return 110
        case .iq2_s: return 82
        case .iq4_xs: return 136
        case .iq1_m: return 56
        case .tq1_0: return 54
        case .tq2_0: return 66
        case .mxfp4: return 17
        }
    }

    /// The GGML spelling, e.g. "Q4_1", "BF16", "IQ2_XXS".
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .q4_0: return "Q4_0"
        case .q4_1: return "Q4_1"
        case .q5_0: return "Q5_0"
        case .q5_1: return "Q5_1"
        case .q8_0: return "Q8_0"
        case .q8_1: return "Q8_1"
        case .q2_K: return "Q2_K"
        case .q3_K: return "Q3_K"
        case .q4_K: return "Q4_K"
        case .q5_K: return "Q5_K"
        case .q6_K: return "Q6_K"
        case .q8_K: return "Q8_K"
        case .iq2_xxs: return "IQ2_XXS"
        case .iq2_xs: return "IQ2_XS"
        case .iq3_xxs: return "IQ3_XXS"
        case .iq1_s: return "IQ1_S"
        case .iq4_nl: return "IQ4_NL"
        case .iq3_s: return "IQ3_S"
        case .iq2_s: return "IQ2_S"
        case .iq4_xs: return "IQ4_XS"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .f64: return "F64"
        case .iq1_m: return "IQ1_M"
        case .bf16: return "BF16"
        case .tq1_0: return "TQ1_0"
        case .tq2_0: return "TQ2_0"
        case .mxfp4: return "MXFP4"
        }
    }

    /// Whether `dequantizeReference(type:from:count:into:)` handles this type.
    public var isSupported: Bool {
        switch self {
        case .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0,
             .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K:
            return true
        default:
            return false
        }
    }

    public var description: String { name }

    /// Bytes needed for `numElements` elements, or nil when `numElements` is negative, not a
    /// multiple of `blockSize`, or the size overflows `Int`.
    public func byteCount(numElements: Int) -> Int? {
        guard numElements >= 0, numElements % blockSize == 0 else { return nil }
        let (bytes, overflow) = (numElements / blockSize).multipliedReportingOverflow(by: typeSize)
        return overflow ? nil : bytes
    }
}
