import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaWhitespaceTests {
    private let schema = #"{"type": "object", "properties": {"a": {"type": "array", "items": {"type": "integer"}}}, "required": ["a"]}"#

    @Test func anyJSONWhitespaceByDefault() {
        expectLanguage(schema, accepts: [#"{"a":[1,2]}"#, "{\n  \"a\" : [ 1 ,\t2 ]\r\n}", #" {"a": []} "#], rejects: ["{\"a\":[1,\u{A0}2]}"])
    }

    @Test func noWhitespaceWhenDisabled() {
        let options = SchemaTesting.options { $0.anyWhitespace = false }
        expectLanguage(schema, accepts: [#"{"a":[1,2]}"#], rejects: [#"{"a": [1,2]}"#, #"{"a":[1, 2]}"#, #" {"a":[]}"#], options: options)
    }

    @Test func aWhitespacePatternReplacesTheSkip() {
        let options = SchemaTesting.options { $0.whitespacePattern = " " }
        expectLanguage(schema, accepts: [#"{"a":[1,2]}"#, #"{ "a": [1, 2] }"#], rejects: ["{\"a\":\n[1]}", #"{"a":  [1]}"#], options: options)
        #expect(SchemaTesting.error(schema, SchemaTesting.options { $0.whitespacePattern = "\\s*" }) != nil)
    }
}
