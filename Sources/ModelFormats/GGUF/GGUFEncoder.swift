/// Little-endian byte output for `GGUFWriter`.
struct GGUFEncoder {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(string: String) {
        let utf8 = Array(string.utf8)
        append(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func pad(to alignment: Int) {
        let padded = GGUFWriter.alignUp(bytes.count, alignment)
        bytes.append(contentsOf: repeatElement(0, count: padded - bytes.count))
    }

    /// A value's payload (its type id is written by the caller).
    mutating func append(value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let v): append(string: v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float64(let v): append(v.bitPattern)
        case .array(let array): append(array: array)
        }
    }

    /// An array: element type, count, elements. An empty `.values` array is written as u8.
    mutating func append(array: GGUFArray) {
        switch array {
        case .strings(let a):
            header(.string, a.count)
            for s in a { append(string: s) }
        case .int32s(let a):
            header(.int32, a.count)
            for v in a { append(v) }
        case .uint32s(let a):
            header(.uint32, a.count)
            for v in a { append(v) }
        case .float32s(let a):
            header(.float32, a.count)
            for v in a { append(v.bitPattern) }
        case .values(let a):
            header(a.first.map(GGUFValueType.init(of:)) ?? .uint8, a.count)
            for v in a { append(value: v) }
        }
    }

    private mutating func header(_ type: GGUFValueType, _ count: Int) {
        append(type.rawValue)
        append(UInt64(count))
    }
}
