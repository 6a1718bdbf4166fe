import Foundation
import Testing
@testable import SwiftletTokenizers

/// The tokenizer-file JSON parser: values, escapes, and typed errors on hostile input.
@Suite struct JSONScannerTests {
    func parse(_ text: String) throws(TokenizerError) -> Any {
        var copy = text
        let result = copy.withUTF8 { bytes -> Result<Any, TokenizerError> in
            do throws(TokenizerError) {
                return .success(try JSONScanner.parse(bytes, name: "test.json"))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    @Test func values() throws {
        let object = try #require(try parse(#" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {}, "c": []} "#) as? JSONObject)
        let list = try #require(object["a"] as? [Any])
        #expect(list[0] as? Int == 1 && list[1] as? Int == -2)
        #expect(list[2] as? Double == 3.5 && list[3] as? Double == 1000)
        #expect(list[4] as? Bool == true && list[5] as? Bool == false && list[6] is JSONScanner.Null)
        #expect(list[4] as? Int == nil)
        #expect((object["b"] as? JSONObject)?.count == 0 && (object["c"] as? [Any])?.isEmpty == true)
    }

    @Test func canonicallyEquivalentKeysStayDistinct() throws {
        // "é" precomposed and decomposed are equal Swift Strings but distinct vocabulary tokens.
        let object = try #require(try parse("{\"\u{E9}\": 1, \"e\u{301}\": 2}") as? JSONObject)
        #expect(object.count == 2)
        #expect(object["\u{E9}"] as? Int == 1)
        #expect(object["e\u{301}"] as? Int == 2)
        #expect(object.keys.map { Array($0.utf8) } == [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\r\b\f""#) as? String == "a\"b\\c/d\n\t\r\u{8}\u{C}")
        #expect(try parse(#""\u0120\u2581\u00e9""#) as? String == "Ġ▁é")
        #expect(try parse(#""\ud83d\ude00 x""#) as? String == "😀 x")
        #expect(try parse(#""lone \ud83d and \ude00""#) as? String == "lone \u{FFFD} and \u{FFFD}")
        #expect(try parse("\"raw ünïcode 中\"") as? String == "raw ünïcode 中")
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
