/// Reads GGUF metadata values from a cursor. Large arrays of strings, int32, uint32 and
/// float32 are read in bulk into the typed `GGUFArray` cases; other arrays element by element.
extension GGUFByteCursor {
    /// Deepest array nesting accepted (guards the recursion against crafted files).
    static let maxArrayDepth = 8

    mutating func readValueType(key: String) throws -> GGUFValueType {
        let typeOffset = offset
        let rawType = try readUInt32("value type of key '\(key)'")
        guard let type = GGUFValueType(rawValue: rawType) else {
            throw GGUFError.unknownValueType(path: path, offset: typeOffset, key: key, typeID: rawType)
        }
        return type
    }

    mutating func readValue(_ type: GGUFValueType, key: String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try readInteger(UInt8.self, reading: "u8 value of '\(key)'"))
        case .int8: return .int8(try readInteger(Int8.self, reading: "i8 value of '\(key)'"))
        case .uint16: return .uint16(try readInteger(UInt16.self, reading: "u16 value of '\(key)'"))
        case .int16: return .int16(try readInteger(Int16.self, reading: "i16 value of '\(key)'"))
        case .uint32: return .uint32(try readUInt32("u32 value of '\(key)'"))
        case .int32: return .int32(try readInteger(Int32.self, reading: "i32 value of '\(key)'"))
        case .float32: return .float32(Float(bitPattern: try readUInt32("f32 value of '\(key)'")))
        case .uint64: return .uint64(try readUInt64("u64 value of '\(key)'"))
        case .int64: return .int64(try readInteger(Int64.self, reading: "i64 value of '\(key)'"))
        case .float64: return .float64(Double(bitPattern: try readUInt64("f64 value of '\(key)'")))
        case .bool:
            let boolOffset = offset
            let byte = try readInteger(UInt8.self, reading: "bool value of '\(key)'")
            guard byte <= 1 else {
                throw GGUFError.invalidBool(path: path, offset: boolOffset, key: key, byte: byte)
            }
            return .bool(byte == 1)
        case .string: return .string(try readString("string value of '\(key)'"))
        case .array: return .array(try readArray(key: key, depth: depth + 1))
        }
    }

    /// Reads an array body: element type u32, count u64, then the elements.
    mutating func readArray(key: String, depth: Int) throws -> GGUFArray {
        guard depth <= Self.maxArrayDepth else {
            throw GGUFError.nestingTooDeep(path: path, key: key, maxDepth: Self.maxArrayDepth)
        }
        let elementType = try readValueType(key: key)
        let countOffset = offset
        let rawCount = try readUInt64("array count of '\(key)'")
        let count = try checkCount(
            rawCount, minSize: elementType.minEncodedSize, at: countOffset, what: "array count of '\(key)'")
        switch elementType {
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(count)
            for _ in 0..<count {
                strings.append(try readString("string element of '\(key)'"))
            }
            return .strings(strings)
        case .int32:
            return .int32s(readWords(count) { Int32(bitPattern: $0) })
        case .uint32:
            return .uint32s(readWords(count) { $0 })
        case .float32:
            return .float32s(readWords(count) { Float(bitPattern: $0) })
        default:
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                values.append(try readValue(elementType, key: key, depth: depth))
            }
            return .values(values)
        }
    }
}
