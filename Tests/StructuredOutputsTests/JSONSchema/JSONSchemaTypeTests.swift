import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaTypeTests {
    @Test func referenceRecognizerAgreesOnATinyGrammar() {
        var builder = GrammarBuilder()
        let a = builder.lexeme(.literal("a"), name: "a")
        let list = builder.declare("list")
        builder.define(list, [[a], [.rule(list), a]])
        let recognizer = ReferenceRecognizer(builder.build(start: list, skip: .zeroOrMore(.literal(" "))))
        #expect(recognizer.accepts("a") && recognizer.accepts(" a a  a "))
        #expect(!recognizer.accepts("") && !recognizer.accepts("ab") && !recognizer.accepts("aa b"))
    }

    @Test func emptySchemaAndTrueAcceptAnyJSONValue() {
        let values = ["null", "true", "-1.5e3", #""x""#, "[]", "{}", #"{"a": [1, {"b": null}], "c": "d"}"#, " [ 1 , 2 ] "]
        let broken = ["", "nul", "[1,]", "{\"a\"}", "{a: 1}", "[1 2]", "01", "\"\\x\""]
        expectLanguage("{}", accepts: values, rejects: broken)
        expectLanguage("true", accepts: values, rejects: broken)
        expectLanguage(#"{"title": "only annotations", "description": "x", "examples": [1], "x-custom": 3}"#, accepts: values)
    }

    @Test func falseAtTheTopIsAnError() {
        #expect(SchemaTesting.error("false") == .unsatisfiable(reason: "the schema is false", pointer: ""))
        guard case .unsatisfiable = SchemaTesting.error(#"{"type": "integer", "minimum": 5, "maximum": 3}"#) else {
            Issue.record("an empty range should be unsatisfiable")
            return
        }
    }

    @Test func singleTypes() {
        expectLanguage(#"{"type": "null"}"#, accepts: ["null", " null "], rejects: ["true", "0", "\"null\""])
        expectLanguage(#"{"type": "boolean"}"#, accepts: ["true", "false"], rejects: ["null", "1", "\"true\""])
        expectLanguage(#"{"type": "integer"}"#, accepts: ["0", "-7", "123456789012345678901234567890"], rejects: ["1.5", "1.0", "01", "-", "1e3", "\"1\""])
        expectLanguage(#"{"type": "number"}"#, accepts: ["0", "-0.5", "1e-7", "2E+10", "3.25"], rejects: [".5", "1.", "+1", "NaN", "0x10"])
        expectLanguage(#"{"type": "string"}"#, accepts: [#""""#, #""a\"b""#, #""\u00e9\n""#, "\"日本\""], rejects: ["\"a", "\"\u{1}\"", #""\q""#, "1"])
    }

    @Test func typeListsAreUnions() {
        expectLanguage(#"{"type": ["string", "null"]}"#, accepts: ["null", "\"x\""], rejects: ["1", "true", "[]"])
        expectLanguage(#"{"type": ["integer", "number"]}"#, accepts: ["1", "1.5"], rejects: ["\"1\""])
        expectLanguage(#"{"type": ["object", "array"], "maxItems": 1, "required": ["a"]}"#,
                       accepts: [#"{"a": 1}"#, "[]", "[1]"], rejects: ["{}", "[1, 2]"])
    }

    @Test func keywordsOnlyConstrainTheirOwnType() {
        expectLanguage(#"{"minLength": 2, "minimum": 3}"#, accepts: [#""ab""#, "3", "null", "[]", "{}"], rejects: [#""a""#, "2"])
    }

    @Test func constAndEnum() {
        expectLanguage(#"{"const": "a\"b"}"#, accepts: [#""a\"b""#], rejects: [#""ab""#, #""a\u0022b""#])
        expectLanguage(#"{"const": {"x": [1, true], "y": null}}"#,
                       accepts: [#"{"x": [1, true], "y": null}"#, #"{"x":[1.0,true],"y":null}"#],
                       rejects: [#"{"y": null, "x": [1, true]}"#, #"{"x": [1, true]}"#, #"{"x": [1, true], "y": null, "z": 1}"#])
        expectLanguage(#"{"enum": ["red", 3, null, [1]]}"#, accepts: [#""red""#, "3", "3.0", "null", "[1]"], rejects: [#""blue""#, "4", "[]"])
        expectLanguage(#"{"type": "string", "enum": ["a", 1, "bb"], "maxLength": 1}"#, accepts: [#""a""#], rejects: ["1", #""bb""#])
        #expect(SchemaTesting.error(#"{"enum": []}"#) != nil)
    }
}
