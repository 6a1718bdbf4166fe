import SwiftletJSON
import Testing

/// Random and mangled documents never trap: each parses or throws an error inside the document, and
/// random values written as text (with random whitespace) read back equal.
struct JSONFuzzTests {
    static let sample = #"{"model": {"vocab": {"a": 0, "é\u0301": 1, "\ud83d\ude00": 2}, "merges": [["a", "b"], "c d"]},"# +
        #" "n": [-0, 1.5e-3, 12345678901234567890, true, false, null], "s": "tab\tquote\"slash\/"}"#

    @Test func mangledDocumentsParseOrFailCleanly() {
        var random = XorShift(seed: 7)
        let source = Array(Self.sample.utf8)
        let alphabet = Array(#"{}[],:"\/u0123456789.eE+-tfn ab"#.utf8) + [0x00, 0x0A, 0xC3, 0xFF]
        var outcomes = [0, 0]
        for _ in 0..<3000 {
            var bytes = source
            for _ in 0..<Int(random.next() % 4 + 1) {
                let at = Int(random.next() % UInt64(bytes.count))
                switch random.next() % 3 {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: at)
                default: bytes[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            outcomes[Self.check(bytes) ? 0 : 1] += 1
        }
        #expect(outcomes[0] > 50 && outcomes[1] > 1000, "\(outcomes)")
    }

    @Test func everyPrefixFailsCleanly() {
        let source = Array(Self.sample.utf8)
        for end in 0..<source.count {
            #expect(!Self.check(Array(source[..<end])), "prefix of \(end) bytes")
        }
        #expect(Self.check(source))
    }

    @Test func randomBytesFailCleanly() {
        var random = XorShift(seed: 11)
        for _ in 0..<2000 {
            let bytes = (0..<Int(random.next() % 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = Self.check(bytes)
        }
    }

    @Test func randomValuesReadBackEqual() throws {
        var random = XorShift(seed: 3)
        for _ in 0..<500 {
            let value = Self.randomValue(&random, depth: 0)
            var text = ""
            Self.write(value, to: &text, random: &random)
            #expect(try JSONValue(parsing: text) == value, "\(text)")
        }
    }

    /// Parses `bytes`: true when they are a document; an error must point inside them.
    static func check(_ bytes: [UInt8]) -> Bool {
        do throws(JSONParseError) {
            _ = try JSONValue(parsing: bytes)
            return true
        } catch {
            #expect((0...bytes.count).contains(error.offset) && error.line >= 1 && error.column >= 1 && !error.message.isEmpty)
            return false
        }
    }

    static func randomValue(_ random: inout XorShift, depth: Int) -> JSONValue {
        let texts = ["", "a", "é", "e\u{301}", "😀", "\"\\/\n\t\u{1}", "ab\u{7F}cdefghijklmnopqrstuvwxyz"]
        let numbers = ["0", "-0", "7", "-12", "1.5", "2e10", "-3.25E-4", "9223372036854775807", "99999999999999999999"]
        switch random.next() % (depth > 4 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(random.next() % 2 == 0)
        case 2, 3: return .number(JSONNumber(numbers[Int(random.next() % UInt64(numbers.count))]) ?? 0)
        case 4: return .string(texts[Int(random.next() % UInt64(texts.count))])
        case 5: return .array((0..<Int(random.next() % 4)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            let keys = ["k", "é", "e\u{301}", "", "k"]
            return .object(JSONObject(members: (0..<Int(random.next() % 4)).map { _ in
                (keys[Int(random.next() % UInt64(keys.count))], randomValue(&random, depth: depth + 1))
            }))
        }
    }

    /// Test-only text for a value, random whitespace between tokens. Strings are written either raw (only
    /// quotes, backslashes and control characters escaped) or with every UTF-16 unit escaped as \uXXXX.
    static func write(_ value: JSONValue, to text: inout String, random: inout XorShift) {
        let spaces = ["", " ", "\n", "\t", "\r\n "]
        text += spaces[Int(random.next() % UInt64(spaces.count))]
        func escaped(_ unit: UInt16) -> String {
            let hex = String(unit, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        func quoted(_ string: String) -> String {
            let body = random.next() % 2 == 0
                ? string.utf16.map(escaped).joined()
                : string.unicodeScalars.map { $0.value < 0x20 || $0 == "\"" || $0 == "\\" ? escaped(UInt16($0.value)) : String($0) }.joined()
            return "\"" + body + "\""
        }
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number): text += number.text
        case .string(let string): text += quoted(string)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                write(item, to: &text, random: &random)
            }
            text += "]"
        case .object(let object):
            text += "{"
            for (index, member) in object.enumerated() {
                text += (index > 0 ? "," : "") + quoted(member.key) + ":"
                write(member.value, to: &text, random: &random)
            }
            text += "}"
        }
        text += spaces[Int(random.next() % UInt64(spaces.count))]
    }
}

/// A small seeded generator (xorshift64*).
struct XorShift {
    var state: UInt64

    init(seed: UInt64) {
        state = seed | 1
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}
