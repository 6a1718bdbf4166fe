import Foundation
import SwiftletJSON
import Testing
@testable import ChatTemplates

/// JSON input conversion and Python-compatible printing of values.
struct TemplateValueTests {
    @Test func jsonKeepsKeyOrderAndPythonNumberKinds() throws {
        let value = try TemplateValue(json: #"{"z": 1, "a": [1.0, 2e3, -0, 3.25, true, null], "m": {"y": "x"}}"#)
        guard case .object(let object) = value else { Issue.record("expected object"); return }
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == [.double(1.0), .double(2000.0), .int(0), .double(3.25), .bool(true), .null])
        #expect(value["m"]?["y"] == "x")
    }

    @Test func jsonStringEscapes() throws {
        let value = try TemplateValue(json: #"["a\"b\\c\/d\n\t\u00e9\ud83c\udf0d\u0001"]"#)
        #expect(value == .array([.string("a\"b\\c/d\n\té🌍\u{01}")]))
        let data = Data("{\"k\": \"caf\u{e9}\"}".utf8)
        #expect(try TemplateValue(jsonData: data) == ["k": "café"])
    }

    @Test func invalidJSONReportsOffset() {
        #expect(throws: TemplateError.invalidJSON(message: "unterminated string", offset: 8)) { try TemplateValue(json: #"{"a": "x"#) }
        #expect(throws: TemplateError.invalidJSON(message: "expected ',' or ']' in array", offset: 3)) { try TemplateValue(json: "[1 2]") }
        #expect(throws: TemplateError.invalidJSON(message: "unexpected trailing characters", offset: 3)) { try TemplateValue(json: "{} x") }
        #expect(throws: TemplateError.invalidJSON(message: "invalid value", offset: 1)) { try TemplateValue(json: "-") }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: TemplateError.invalidJSON(message: "nesting deeper than 256", offset: 256)) { try TemplateValue(json: deep) }
    }

    @Test func jsonRepeatedKeysAndLargeIntegersAsPythonReadsThem() throws {
        // A repeated key keeps its first position and its last value, as in a Python dict.
        let value = try TemplateValue(json: #"{"a": 1, "b": 2, "a": 3}"#)
        guard case .object(let object) = value else { Issue.record("expected object"); return }
        #expect(object.keys == ["a", "b"] && object["a"] == .int(3))
        // Integers beyond Int become floats (Python keeps them exact; a template can only print them).
        #expect(try TemplateValue(json: "[12345678901234567890, -9223372036854775808]")
            == [.double(12345678901234567890), .int(Int.min)])
    }

    @Test func pythonFloatRepr() {
        let cases: [(Double, String)] = [
            (1.0, "1.0"), (0.1, "0.1"), (1e15, "1000000000000000.0"), (1e16, "1e+16"), (1.5e16, "1.5e+16"),
            (0.0001, "0.0001"), (0.00001, "1e-05"), (123456789.125, "123456789.125"), (-2.5, "-2.5"),
            (-0.0, "-0.0"), (1e-7, "1e-07"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (.infinity, "inf"), (.nan, "nan"), (0.30000000000000004, "0.30000000000000004"),
        ]
        for (value, expected) in cases {
            #expect(ValueFormatting.pythonFloat(value) == expected, "\(value)")
        }
    }

    @Test func pythonReprOfContainers() throws {
        let value = Value(["a": ["it's", "say \"hi\"", 1, 2.0, nil, true], "b": [:]])
        #expect(try ValueFormatting.str(value) == #"{'a': ["it's", 'say "hi"', 1, 2.0, None, True], 'b': {}}"#)
        #expect(try ValueFormatting.str(.tuple([.int(1)])) == "(1,)")
    }

    @Test func tojsonMatchesPythonJsonDumps() throws {
        let value = Value(["b": [1, ["c": "x\u{01}é"]], "a": [:], "e": []])
        #expect(try JSONSerializer(indent: nil, separators: nil, sortKeys: false).serialize(value)
            == #"{"b": [1, {"c": "x\u0001é"}], "a": {}, "e": []}"#)
        #expect(try JSONSerializer(indent: "  ", separators: nil, sortKeys: true).serialize(value)
            == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"c\": \"x\\u0001é\"\n    }\n  ],\n  \"e\": []\n}")
    }
}

extension TemplateValueTests {
    /// Shared JSON values convert with integers kept apart from doubles and keys in document order
    /// (this replaces the converter of JSONSerialization output: JSON enters through one reader).
    @Test func convertsSharedJSONValues() throws {
        let value = TemplateValue(try JSONValue(parsing: #"{"b": true, "i": 3, "d": 1.0, "n": null, "s": ["x"]}"#))
        #expect(value == ["b": true, "i": 3, "d": 1.0, "n": nil, "s": ["x"]])
        guard case .object(let converted) = value else { Issue.record("object expected"); return }
        #expect(converted.keys == ["b", "i", "d", "n", "s"])
        guard case .int(3)? = converted["i"], case .double(1.0)? = converted["d"] else { Issue.record("3 is an int, 1.0 a double"); return }
    }

    @Test func swiftDictionaryMessagesRenderDeterministically() throws {
        let template = try ChatTemplate(source: "{% for m in messages %}{{ m|tojson }}{% endfor %}")
        let messages: [[String: TemplateValue]] = [["name": "n", "content": "c", "role": "user", "a": 1]]
        #expect(try template.render(messages: messages.map { TemplateValue(message: $0) }, addGenerationPrompt: false)
            == #"{"role": "user", "content": "c", "a": 1, "name": "n"}"#)
    }
}
