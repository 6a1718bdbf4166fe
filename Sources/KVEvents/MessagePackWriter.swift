/// MessagePack (the spec's shortest forms, as Python's `msgpack.packb` and msgspec write them)
/// for KV event batches.
public struct MessagePackWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    private mutating func bigEndian<T: FixedWidthInteger>(_ value: T) {
        var big = value.bigEndian
        withUnsafeBytes(of: &big) { bytes += $0 }
    }

    public mutating func null() { bytes.append(0xc0) }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 0xc3 : 0xc2) }

    public mutating func unsigned(_ value: UInt64) {
        switch value {
        case 0..<0x80: bytes.append(UInt8(value))
        case 0x80..<0x100: bytes += [0xcc, UInt8(value)]
        case 0x100..<0x1_0000: bytes.append(0xcd); bigEndian(UInt16(value))
        case 0x1_0000..<0x1_0000_0000: bytes.append(0xce); bigEndian(UInt32(value))
        default: bytes.append(0xcf); bigEndian(value)
        }
    }

    public mutating func integer(_ value: Int) {
        if value >= 0 { unsigned(UInt64(value)); return }
        switch value {
        case -32 ..< 0: bytes.append(UInt8(bitPattern: Int8(value)))
        case -0x80 ..< -32: bytes.append(0xd0); bigEndian(Int8(value))
        case -0x8000 ..< -0x80: bytes.append(0xd1); bigEndian(Int16(value))
        case -0x8000_0000 ..< -0x8000: bytes.append(0xd2); bigEndian(Int32(value))
        default: bytes.append(0xd3); bigEndian(Int64(value))
        }
    }

    public mutating func double(_ value: Double) {
        bytes.append(0xcb)
        bigEndian(value.bitPattern)
    }

    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        switch utf8.count {
        case 0..<32: bytes.append(0xa0 | UInt8(utf8.count))
        case 32..<0x100: bytes += [0xd9, UInt8(utf8.count)]
        case 0x100..<0x1_0000: bytes.append(0xda); bigEndian(UInt16(utf8.count))
        default: bytes.append(0xdb); bigEndian(UInt32(utf8.count))
        }
        bytes += utf8
    }

    public mutating func binary(_ value: [UInt8]) {
        switch value.count {
        case 0..<0x100: bytes += [0xc4, UInt8(value.count)]
        case 0x100..<0x1_0000: bytes.append(0xc5); bigEndian(UInt16(value.count))
        default: bytes.append(0xc6); bigEndian(UInt32(value.count))
        }
        bytes += value
    }

    public mutating func arrayHeader(_ count: Int) {
        switch count {
        case 0..<16: bytes.append(0x90 | UInt8(count))
        case 16..<0x1_0000: bytes.append(0xdc); bigEndian(UInt16(count))
        default: bytes.append(0xdd); bigEndian(UInt32(count))
        }
    }

    public mutating func mapHeader(_ count: Int) {
        switch count {
        case 0..<16: bytes.append(0x80 | UInt8(count))
        case 16..<0x1_0000: bytes.append(0xde); bigEndian(UInt16(count))
        default: bytes.append(0xdf); bigEndian(UInt32(count))
        }
    }
}
