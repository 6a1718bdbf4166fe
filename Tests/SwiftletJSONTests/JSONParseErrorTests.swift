import SwiftletJSON
import Testing

/// Invalid documents: the message, byte offset, line and column of each error, and the nesting limit.
struct JSONParseErrorTests {
    struct Case: CustomStringConvertible, Sendable {
        var text: String
        var message: String
        var offset: Int
        var line = 1
        var column: Int? = nil
        var description: String { text.debugDescription }
    }

    static let cases: [Case] = [
        Case(text: "", message: "unexpected end of input", offset: 0),
        Case(text: "   ", message: "unexpected end of input", offset: 3),
        Case(text: "[1,]", message: "trailing comma in array", offset: 3),
        Case(text: #"{"a":1,}"#, message: "trailing comma in object", offset: 7),
        Case(text: "[1 2]", message: "expected ',' or ']' in array", offset: 3),
        Case(text: #"{"a" 1}"#, message: "expected ':' after object key", offset: 5),
        Case(text: "{1:2}", message: "expected a string key", offset: 1),
        Case(text: #"{"a":1 "b":2}"#, message: "expected ',' or '}' in object", offset: 7),
        Case(text: "[1", message: "unterminated array", offset: 2),
        Case(text: "{", message: "unterminated object", offset: 1),
        Case(text: #"{"a""#, message: "unterminated object", offset: 4),
        Case(text: #"{"a":1"#, message: "unterminated object", offset: 6),
        Case(text: "[[[", message: "unexpected end of input", offset: 3),
        Case(text: "01", message: "leading zero in number", offset: 0),
        Case(text: "-01", message: "leading zero in number", offset: 1),
        Case(text: "1.", message: "digits expected after '.'", offset: 2),
        Case(text: "1.e5", message: "digits expected after '.'", offset: 2),
        Case(text: "1e", message: "digits expected in exponent", offset: 2),
        Case(text: "1e+", message: "digits expected in exponent", offset: 3),
        Case(text: ".5", message: "invalid value", offset: 0),
        Case(text: "+1", message: "invalid value", offset: 0),
        Case(text: "-", message: "invalid value", offset: 1),
        Case(text: "-x", message: "invalid value", offset: 1),
        Case(text: "1.2.3", message: "unexpected trailing characters", offset: 3),
        Case(text: "tru", message: "invalid literal, expected 'true'", offset: 3),
        Case(text: "nulL", message: "invalid literal, expected 'null'", offset: 3),
        Case(text: "falsey", message: "unexpected trailing characters", offset: 5),
        Case(text: "'a'", message: "invalid value", offset: 0),
        Case(text: "\u{FEFF}{}", message: "invalid value", offset: 0),
        Case(text: #""abc"#, message: "unterminated string", offset: 4),
        Case(text: #""abc\"#, message: "unterminated string", offset: 5),
        Case(text: "\"a\u{01}b\"", message: "unescaped control character in string", offset: 2),
        Case(text: "\"a\nb\"", message: "unescaped control character in string", offset: 2),
        Case(text: #""\x""#, message: "invalid escape sequence", offset: 1),
        Case(text: #""ab\'""#, message: "invalid escape sequence", offset: 3),
        Case(text: #""\u12""#, message: #"truncated \u escape"#, offset: 3),
        Case(text: #""\u12G4""#, message: #"invalid hex digit in \u escape"#, offset: 5),
        Case(text: #""\ud83d\uZZZZ""#, message: #"invalid hex digit in \u escape"#, offset: 9),
        Case(text: "{} x", message: "unexpected trailing characters", offset: 3),
        Case(text: "{} {}", message: "unexpected trailing characters", offset: 3),
        Case(text: "[1,\n 2,\n x]", message: "invalid value", offset: 9, line: 3, column: 2),
        Case(text: "[\r\n\"é\" x]", message: "expected ',' or ']' in array", offset: 8, line: 2, column: 5),
        Case(text: "[\r1 x", message: "expected ',' or ']' in array", offset: 4, line: 2, column: 3),
        Case(text: "[\n\n", message: "unexpected end of input", offset: 3, line: 3, column: 1),
    ]

    @Test(arguments: cases)
    func invalidDocument(_ testCase: Case) {
        let expected = JSONParseError(message: testCase.message, offset: testCase.offset, line: testCase.line,
                                      column: testCase.column ?? testCase.offset + 1)
        #expect(throws: expected) { try JSONValue(parsing: testCase.text) }
        #expect(throws: expected) { try JSONValue(parsing: Array(testCase.text.utf8)) }
    }

    @Test func descriptionNamesThePosition() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[1,\n 2,\n x]") }
        #expect(error?.description == "invalid value at line 3, column 2 (byte 9)")
    }

    @Test func nestingDeeperThanTheLimitIsAnErrorNotACrash() throws {
        let limit = JSONValue.maxNestingDepth
        #expect(limit == 256)
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try JSONValue(parsing: deepest)
        for _ in 1..<limit { value = try #require(value[0]) }
        #expect(value == [])
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONParseError(message: "nesting deeper than 256", offset: 256, line: 1, column: 257)) {
            try JSONValue(parsing: tooDeep)
        }
        let hostile = String(repeating: #"{"a":["#, count: 50_000)
        // Two levels per repetition: the 257th opens with the "{" of repetition 129.
        #expect(throws: JSONParseError(message: "nesting deeper than 256", offset: 6 * 128, line: 1, column: 6 * 128 + 1)) {
            try JSONValue(parsing: hostile)
        }
    }
}
