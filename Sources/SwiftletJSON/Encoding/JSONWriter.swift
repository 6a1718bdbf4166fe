/// Appends compact JSON text to a byte buffer: strings escaped as RFC 8259 requires (quote,
/// backslash, control characters; everything else, slashes and non-ASCII included, written as is
/// in UTF-8), integers in decimal, doubles in their shortest round-trip form.
public struct JSONWriter: Sendable {
    /// The text written so far (UTF-8).
    public var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable public mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    /// Bytes that are already JSON (punctuation, a pre-encoded key such as `"id":`).
    @inlinable public mutating func writeRaw(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    public mutating func writeRaw(_ raw: StaticString) {
        raw.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func writeNull() { writeRaw("null") }

    public mutating func writeBool(_ value: Bool) { value ? writeRaw("true") : writeRaw("false") }

    public mutating func writeInt<T: FixedWidthInteger>(_ value: T) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        // Digits of the magnitude, least significant first, into a small stack buffer: a b-bit
        // magnitude has at most b * log10(2) + 1 < b / 3 + 2 digits.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: T.bitWidth / 3 + 2) { digits in
            var count = 0
            while magnitude != 0 {
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
                digits[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remainder)
                count += 1
                magnitude = quotient
            }
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            while count > 0 {
                count -= 1
                bytes.append(digits[count])
            }
        }
    }

    /// A finite double in Swift's shortest round-trip spelling (`0.25`, `-1.5e-07`, `100.0`),
    /// which JSON parsers read back to the same value. Returns false, writing nothing, for NaN
    /// and infinities, which JSON cannot express.
    @discardableResult
    public mutating func writeDouble(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            // Integral values: "3.0" as Swift spells them, without going through a String.
            writeInt(Int64(value))
            writeRaw(".0")
            if value == 0 && value.sign == .minus { bytes.insert(UInt8(ascii: "-"), at: bytes.count - 3) }
            return true
        }
        bytes.append(contentsOf: value.description.utf8)
        return true
    }

    /// `text` as a JSON string literal.
    public mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { writeString(utf8: $0) }
    }

    /// UTF-8 bytes as a JSON string literal (the bytes are taken to be valid UTF-8).
    public mutating func writeString(utf8 source: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        let count = source.count
        while index < count {
            let byte = source[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                index += 1
                continue
            }
            if index > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<index])) }
            writeEscape(byte)
            index += 1
            runStart = index
        }
        if count > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[runStart..<count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private mutating func writeEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            bytes.append(UInt8(ascii: "u"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0xF))
        }
    }
}
