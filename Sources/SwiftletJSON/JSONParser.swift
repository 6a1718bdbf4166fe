/// A strict RFC 8259 reader over UTF-8 bytes: one value with optional whitespace around it, no trailing
/// commas, no leading zeros or `+` in numbers, no unescaped control characters in strings.
///
/// Tolerated as the project's readers always did: a `\u` escape of a lone surrogate reads as U+FFFD, and
/// invalid UTF-8 inside a string is repaired to U+FFFD (as `String(decoding:as:)` does).
/// Nesting deeper than `JSONValue.maxNestingDepth` is an error, so hostile input cannot overflow the stack.
struct JSONParser: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    private var depth = 0
    /// Reused buffer for strings with escapes.
    var scratch: [UInt8] = []
    /// Elements and members of the open arrays and objects, innermost last: each container is made once,
    /// at its exact size, when it closes.
    private var valueStack = JSONStack<JSONValue>()
    private var keyStack = JSONStack<String>()

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The whole document as one value.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected trailing characters") }
        return value
    }

    func failure(_ message: String, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(message: message, offset: offset ?? index, in: bytes)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw failure("invalid value")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let text = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in text {
            guard index < bytes.count, bytes[index] == byte else { throw failure("invalid literal, expected '\(word)'") }
            index += 1
        }
    }

    /// Steps into an array or object at its opening bracket.
    private mutating func enter() throws(JSONParseError) {
        guard depth < JSONValue.maxNestingDepth else { throw failure("nesting deeper than \(JSONValue.maxNestingDepth)") }
        depth += 1
        index += 1
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONObject {
        try enter()
        if closesAtOnce(.object) { return JSONObject() }
        let mark = keyStack.count
        repeat {
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            keyStack.push(try parseString())
            skipWhitespace()
            guard index < bytes.count else { throw failure("unterminated object") }
            guard bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after object key") }
            index += 1
            valueStack.push(try parseValue())
        } while try !closes(.object)
        // This object's values are the top ones: nested containers have taken theirs.
        let valueMark = valueStack.count - (keyStack.count - mark)
        return JSONObject(keys: keyStack.pop(from: mark), values: valueStack.pop(from: valueMark))
    }

    private mutating func parseArray() throws(JSONParseError) -> [JSONValue] {
        try enter()
        if closesAtOnce(.array) { return [] }
        let mark = valueStack.count
        repeat {
            valueStack.push(try parseValue())
        } while try !closes(.array)
        return valueStack.pop(from: mark)
    }

    /// Arrays and objects: their closing bracket and their name in messages.
    private enum Container {
        case array, object

        var closing: UInt8 { self == .array ? UInt8(ascii: "]") : UInt8(ascii: "}") }
        var name: String { self == .array ? "array" : "object" }
    }

    /// Just inside an opening bracket: whether the container is empty (then it is left).
    private mutating func closesAtOnce(_ container: Container) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == container.closing else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After an element or member: false after a comma (another one follows), true after the closing
    /// bracket (the container is left).
    @inline(__always)
    private mutating func closes(_ container: Container) throws(JSONParseError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw failure("unterminated \(container.name)") }
        if bytes[index] == container.closing {
            index += 1
            depth -= 1
            return true
        }
        guard bytes[index] == UInt8(ascii: ",") else {
            throw failure("expected ',' or '\(Character(Unicode.Scalar(container.closing)))' in \(container.name)")
        }
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == container.closing { throw failure("trailing comma in \(container.name)") }
        return false
    }

    /// A number literal; an integer that fits in an `Int` is read on the way and kept as its value.
    private mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("invalid value") }
        var magnitude: UInt = 0
        var overflow = false
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, Self.isDigit(bytes[index]) { throw failure("leading zero in number", at: index - 1) }
        } else {
            while index < bytes.count, Self.isDigit(bytes[index]) {
                let (times10, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = times10.addingReportingOverflow(UInt(bytes[index] &- 0x30))
                magnitude = sum
                overflow = overflow || overflowA || overflowB
                index += 1
            }
        }
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("digits expected after '.'") }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { throw failure("digits expected in exponent") }
            skipDigits()
        }
        if isInteger, !overflow, magnitude != 0 || !negative {
            if magnitude <= UInt(Int.max) { return JSONNumber(negative ? -Int(magnitude) : Int(magnitude)) }
            if negative, magnitude == UInt(Int.max) + 1 { return JSONNumber(Int.min) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return JSONNumber(literal: text, isInteger: isInteger)
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10
    }
}
