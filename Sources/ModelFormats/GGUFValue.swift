/// One GGUF metadata value, in the file's own type.
///
/// GGUF v2/v3 value type ids: 0 u8, 1 i8, 2 u16, 3 i16, 4 u32, 5 i32, 6 f32, 7 bool,
/// 8 string, 9 array, 10 u64, 11 i64, 12 f64. Arrays hold values of one element type.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case float32(Float)
    case bool(Bool)
    case string(String)
    case array(GGUFArray)
    case uint64(UInt64)
    case int64(Int64)
    case float64(Double)

    /// Any integer type as Int, when it fits; nil for other types.
    public var intValue: Int? {
        switch self {
        case .uint8(let v): return Int(v)
        case .int8(let v): return Int(v)
        case .uint16(let v): return Int(v)
        case .int16(let v): return Int(v)
        case .uint32(let v): return Int(v)
        case .int32(let v): return Int(v)
        case .uint64(let v): return v <= UInt64(Int.max) ? Int(v) : nil
        case .int64(let v): return Int(v)
        default: return nil
        }
    }

    /// Any numeric type as Double; nil for strings, bools and arrays.
    public var doubleValue: Double? {
        switch self {
        case .float32(let v): return Double(v)
        case .float64(let v): return v
        default: return intValue.map(Double.init)
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: GGUFArray? {
        if case .array(let a) = self { return a }
        return nil
    }
}

/// A GGUF metadata array. Large arrays (vocabularies of 262k strings, scores) are stored
/// typed so that a tokenizer can take them without boxing each element.
public enum GGUFArray: Sendable, Equatable {
    case strings([String])
    case int32s([Int32])
    case uint32s([UInt32])
    case float32s([Float])
    /// Every other element type (including nested arrays), element by element.
    case values([GGUFValue])

    public var count: Int {
        switch self {
        case .strings(let a): return a.count
        case .int32s(let a): return a.count
        case .uint32s(let a): return a.count
        case .float32s(let a): return a.count
        case .values(let a): return a.count
        }
    }
}
