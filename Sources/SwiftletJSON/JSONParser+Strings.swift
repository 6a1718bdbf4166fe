/// String literals: a fast path for strings without escapes, the escapes, and `\u` surrogate pairs.
extension JSONParser {
    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// A string literal starting at its opening quote.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        index = nextSpecialByte(from: index)
        guard index < bytes.count else { throw failure("unterminated string") }
        let byte = bytes[index]
        if byte == Self.quote {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            index += 1
            return text
        }
        if byte == Self.backslash { return try parseEscapedString(from: start) }
        throw failure("unescaped control character in string")
    }

    /// The rest of a string that has an escape at `index`; the bytes from `start` are copied into `scratch` first.
    private mutating func parseEscapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        var runStart = start
        while true {
            index = nextSpecialByte(from: index)
            guard index < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[index]
            guard byte >= 0x20 else { throw failure("unescaped control character in string") }
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            index += 1
            if byte == Self.quote { return String(decoding: scratch, as: UTF8.self) }
            guard index < bytes.count else { throw failure("unterminated string") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case Self.quote, Self.backslash, UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"): appendUTF8(try unicodeEscape())
            default: throw failure("invalid escape sequence", at: index - 2)
            }
            runStart = index
        }
    }

    /// The position of the first quote, backslash or control character at or after `position`, or the end.
    /// Reads eight bytes at a time: most strings (vocabulary tokens, keys) end within one word.
    private func nextSpecialByte(from position: Int) -> Int {
        var position = position
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while bytes.count - position >= 8 {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                let mask = Self.specialBytes(in: word)
                // The lowest flagged byte is exact: false flags can only sit above a true one.
                if mask != 0 { return position + mask.trailingZeroBitCount / 8 }
                position += 8
            }
        }
        while position < bytes.count {
            let byte = bytes[position]
            if byte == Self.quote || byte == Self.backslash || byte < 0x20 { return position }
            position += 1
        }
        return position
    }

    /// High bits set in the bytes of `word` (first byte lowest) that are a quote, a backslash or below 0x20.
    private static func specialBytes(in word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func zeroBytes(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quotes = zeroBytes(word ^ (ones &* UInt64(quote)))
        let backslashes = zeroBytes(word ^ (ones &* UInt64(backslash)))
        let controls = (word &- ones &* 0x20) & ~word & highs
        return quotes | backslashes | controls
    }

    /// A `\u` escape (the "\u" already read) as a scalar value, joining a surrogate pair; a lone surrogate
    /// becomes U+FFFD and a following escape that is not its pair is read on its own.
    private mutating func unicodeEscape() throws(JSONParseError) -> UInt32 {
        let first = try hex4()
        switch first {
        case 0xD800...0xDBFF:
            guard bytes.count - index >= 2, bytes[index] == Self.backslash, bytes[index + 1] == UInt8(ascii: "u") else {
                return 0xFFFD
            }
            let save = index
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else {
                index = save
                return 0xFFFD
            }
            return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        case 0xDC00...0xDFFF:
            return 0xFFFD
        default:
            return first
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw failure("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Appends the UTF-8 encoding of a scalar value (never a surrogate here).
    private mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(value >> 6))
            scratch.append(0x80 | UInt8(value & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(value >> 12))
            scratch.append(0x80 | UInt8(value >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(value & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(value >> 18))
            scratch.append(0x80 | UInt8(value >> 12 & 0x3F))
            scratch.append(0x80 | UInt8(value >> 6 & 0x3F))
            scratch.append(0x80 | UInt8(value & 0x3F))
        }
    }
}
