import Foundation
import SwiftletJSON
import Testing
@testable import SwiftletTokenizers

/// Tokenizer files read through SwiftletJSON: values, escapes, and `TokenizerError`s on hostile input.
@Suite struct TokenizerJSONParsingTests {
    func parse(_ text: String) throws(TokenizerError) -> JSONValue {
        try TokenizerJSONLoader.parse(Data(text.utf8), name: "test.json")
    }

    @Test func values() throws {
        let object = try #require(try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {}, "c": []} "#).objectValue)
        let list = try #require(object["a"]?.arrayValue)
        #expect(list[0].intValue == 1 && list[1].intValue == -2)
        #expect(list[2].doubleValue == 3.5 && list[3].doubleValue == 1000)
        #expect(list[4].boolValue == true && list[5].boolValue == false && list[6].isNull)
        #expect(list[4].intValue == nil)
        #expect(object["b"]?.objectValue?.count == 0 && object["c"]?.arrayValue?.isEmpty == true)
    }

    @Test func canonicallyEquivalentKeysStayDistinct() throws {
        // "é" precomposed and decomposed are equal Swift Strings but distinct vocabulary tokens.
        let object = try #require(try parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}").objectValue)
        #expect(object.count == 2)
        #expect(object["\u{E9}"]?.intValue == 1)
        #expect(object["e\u{301}"]?.intValue == 2)
        #expect(object.keys.map { Array($0.utf8) } == [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f""#).stringValue == "a\"b\\c/d\n\t\r\u{8}\u{C}")
        #expect(try parse(#""\u0120\u2581\u00e9""#).stringValue == "Ġ▁é")
        #expect(try parse(#""\ud83d\ude00 x""#).stringValue == "😀 x")
        #expect(try parse(#""lone \ud83d and \ude00""#).stringValue == "lone \u{FFFD} and \u{FFFD}")
        #expect(try parse("\"raw ünïcode 中\"").stringValue == "raw ünïcode 中")
    }

    @Test(arguments: [
        "", "{", "[1,]x", #"{"a" 1}"#, #""abc"#, #""\x""#, "tru", "-", "1.2.3", "[1 2]", #"{"a":1,}"#, "{} {}",
    ])
    func malformedInputThrows(text: String) {
        #expect { try parse(text) } throws: { error in
            guard case TokenizerError.malformedJSON(let field, let reason) = error else { return false }
            return field == "(root)" && reason.hasPrefix("test.json is not valid JSON")
        }
    }

    @Test func deepNestingIsRejectedNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: TokenizerError.malformedJSON(field: "(root)", reason: "test.json is not valid JSON: nesting deeper than 256 at byte 256")) {
            try parse(deep)
        }
        #expect(throws: Never.self) { try parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
    }
}
