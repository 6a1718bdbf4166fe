/// The type ids of GGUF metadata values (GGUF v2/v3).
enum GGUFValueType: UInt32, CaseIterable {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6
    case bool = 7, string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The fewest bytes one value of this type takes in a file (an empty string is 8 bytes,
    /// an empty array 12).
    var minEncodedSize: Int {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64, .string: return 8
        case .array: return 12
        }
    }

    /// The type id of a value as the writer stores it.
    init(of value: GGUFValue) {
        switch value {
        case .uint8: self = .uint8
        case .int8: self = .int8
        case .uint16: self = .uint16
        case .int16: self = .int16
        case .uint32: self = .uint32
        case .int32: self = .int32
        case .float32: self = .float32
        case .bool: self = .bool
        case .string: self = .string
        case .array: self = .array
        case .uint64: self = .uint64
        case .int64: self = .int64
        case .float64: self = .float64
        }
    }
}
