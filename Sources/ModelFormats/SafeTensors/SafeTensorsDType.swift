/// A safetensors element type, spelled as in the file's header (`"F32"`, `"BF16"`...).
///
/// Every byte-sized dtype of the format is recognised so that files open; conversion to
/// `Float` covers F32, F16, BF16, I8, U8, F8_E4M3 and F8_E5M2 (`isConvertibleToFloat`).
public enum SafeTensorsDType: String, Sendable, CaseIterable, Equatable {
    case bool = "BOOL"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"
    case c64 = "C64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0: return 1
        case .i16, .u16, .f16, .bf16: return 2
        case .i32, .u32, .f32: return 4
        case .f64, .i64, .u64, .c64: return 8
        }
    }

    /// Whether `SafeTensorsFile.toFloat` can convert tensors of this type.
    public var isConvertibleToFloat: Bool {
        switch self {
        case .f32, .f16, .bf16, .i8, .u8, .f8E4M3, .f8E5M2: return true
        default: return false
        }
    }
}
