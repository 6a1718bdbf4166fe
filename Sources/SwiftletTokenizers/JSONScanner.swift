/// A small, fast JSON parser for tokenizer files, producing Foundation-shaped values:
/// `JSONObject`, `[Any]`, `String`, `Int` (integral literals that fit), `Double`, `Bool`, `JSONScanner.Null`.
/// Objects keep every key byte-exactly: Swift `String` keys compare by canonical equivalence, which would merge
/// distinct vocabulary entries such as precomposed and decomposed forms of the same letter.
/// Faster than JSONSerialization on large vocabularies; nesting depth is limited so hostile input cannot overflow the stack.
struct JSONScanner {
    /// The JSON `null` value.
    struct Null: Equatable {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    private var scratch: [UInt8] = []
    static let maxDepth = 256

    /// Parses a whole JSON document.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, name: String) throws(TokenizerError) -> Any {
        var scanner = JSONScanner(bytes: bytes)
        do throws(Failure) {
            let value = try scanner.value()
            scanner.skipSpace()
            guard scanner.index == bytes.count else { throw scanner.error("unexpected text after the JSON value") }
            return value
        } catch {
            throw .malformedJSON(field: "(root)", reason: "\(name) is not valid JSON: \(error.message)")
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    struct Failure: Error {
        var message: String
    }

    private func error(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(index)")
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Failure) -> Any {
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): return try literal("true", true)
        case UInt8(ascii: "f"): return try literal("false", false)
        case UInt8(ascii: "n"): return try literal("null", Null())
        default: return try number()
        }
    }

    private mutating func literal(_ word: StaticString, _ result: Any) throws(Failure) -> Any {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw error("unexpected end of input") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw error("invalid literal")
        }
        index += count
        return result
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth)") }
        index += 1
    }

    private mutating func object() throws(Failure) -> JSONObject {
        try enter()
        var result = JSONObject()
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return result
        }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            result.keys.append(key)
            result.values.append(try value())
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return result
            } else {
                throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func array() throws(Failure) -> [Any] {
        try enter()
        var result: [Any] = []
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return result
        }
        while true {
            result.append(try value())
            skipSpace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return result
            } else {
                throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            index += 1
        }
        throw error("unterminated string")
    }

    private mutating func escapedString(from start: Int) throws(Failure) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") { return String(decoding: scratch, as: UTF8.self) }
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                continue
            }
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"): appendScalar(try unicodeEscape())
            default: throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    /// A \uXXXX escape (the "\u" already read), joining surrogate pairs; lone surrogates become U+FFFD.
    private mutating func unicodeEscape() throws(Failure) -> UInt32 {
        let high = try hex4()
        guard (0xD800...0xDBFF).contains(high) else { return (0xDC00...0xDFFF).contains(high) ? 0xFFFD : high }
        guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
            return 0xFFFD
        }
        let save = index
        index += 2
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low) else {
            index = save
            return 0xFFFD
        }
        return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private mutating func appendScalar(_ value: UInt32) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        scratch.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [0xEF, 0xBF, 0xBD])
    }

    private mutating func number() throws(Failure) -> Any {
        let start = index
        var integral = true
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        scan: while index < bytes.count {
            switch bytes[index] {
            case 0x30...0x39:
                index += 1
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"), UInt8(ascii: "-"):
                integral = false
                index += 1
            default:
                break scan
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if integral, let value = Int(text) { return value }
        guard let value = Double(text) else { throw error("invalid number '\(text)'") }
        return value
    }
}
