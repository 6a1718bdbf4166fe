/// Canonical CBOR (RFC 8949) for the values vLLM's `sha256_cbor` hashes: byte strings, text,
/// non-negative integers, arrays (Python tuples) and null, each with the shortest argument, which
/// is what `cbor2.dumps(value, canonical=True)` writes for them.
public struct CBORWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 128) {
        bytes.reserveCapacity(capacity)
    }

    /// A major type with its argument in the shortest form.
    private mutating func head(_ major: UInt8, _ argument: UInt64) {
        let type = major << 5
        switch argument {
        case 0..<24: bytes.append(type | UInt8(argument))
        case 24..<0x100: bytes += [type | 24, UInt8(argument)]
        case 0x100..<0x1_0000: bytes += [type | 25, UInt8(argument >> 8), UInt8(truncatingIfNeeded: argument)]
        case 0x1_0000..<0x1_0000_0000:
            bytes.append(type | 26)
            for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: argument >> UInt64(shift))) }
        default:
            bytes.append(type | 27)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: argument >> UInt64(shift))) }
        }
    }

    public mutating func unsigned(_ value: UInt64) { head(0, value) }

    /// A Python int: major type 0 when non-negative, 1 (-1 - n) when negative.
    public mutating func integer(_ value: Int) {
        if value >= 0 { head(0, UInt64(value)) } else { head(1, UInt64(-(value + 1))) }
    }

    public mutating func byteString(_ value: [UInt8]) {
        head(2, UInt64(value.count))
        bytes += value
    }

    public mutating func text(_ value: String) {
        let utf8 = Array(value.utf8)
        head(3, UInt64(utf8.count))
        bytes += utf8
    }

    /// The header of an array (a Python tuple or list) of `count` items, which follow.
    public mutating func arrayHeader(_ count: Int) { head(4, UInt64(count)) }

    public mutating func null() { bytes.append(0xf6) }
}
