import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaErrorTests {
    @Test(arguments: [
        (##"{"not": {"type": "string"}}"##, "not", "/not"),
        (##"{"properties": {"a": {"if": {}, "then": {}}}}"##, "if", "/properties/a/if"),
        (##"{"items": {"uniqueItems": true}}"##, "uniqueItems", "/items/uniqueItems"),
        (##"{"dependentRequired": {"a": ["b"]}}"##, "dependentRequired", "/dependentRequired"),
        (##"{"$defs": {"x": {"contains": {}}}, "$ref": "#/$defs/x"}"##, "contains", "/$defs/x/contains"),
        (##"{"anyOf": [{"propertyNames": {"maxLength": 3}}]}"##, "propertyNames", "/anyOf/0/propertyNames"),
        (##"{"properties": {"a~b/c": {"$ref": "https://example.com/schema.json"}}}"##, "$ref", "/properties/a~0b~1c/$ref"),
        (##"{"unevaluatedProperties": false}"##, "unevaluatedProperties", "/unevaluatedProperties"),
    ])
    func unsupportedKeywordsNameThemselvesAndWhere(schema: String, keyword: String, pointer: String) {
        #expect(SchemaTesting.error(schema) == .unsupported(keyword: keyword, pointer: pointer))
    }

    @Test func keywordsWithoutEffectOrOutsideTheDraftAreIgnored() {
        expectLanguage(##"{"uniqueItems": false, "then": {"type": "string"}, "dependentRequired": {}, "propertyNames": true, "x-foo": 1, "deprecated": true, "readOnly": true, "$comment": "c", "type": "integer"}"##,
                       accepts: ["1"])
        expectLanguage(##"{"$schema": "http://json-schema.org/draft-04/schema#", "if": {"type": "string"}, "then": false}"##, accepts: [#""s""#])
    }

    @Test(arguments: [
        (##"{"type": 3}"##, "/type"), (##"{"type": "text"}"##, "/type"), (##"{"minLength": "3"}"##, "/minLength"),
        (##"{"maxItems": -1}"##, "/maxItems"), (##"{"properties": []}"##, "/properties"), (##"{"required": "a"}"##, "/required"),
        (##"{"anyOf": {}}"##, "/anyOf"), (##"{"items": 3}"##, "/items"), (##"{"minimum": "1"}"##, "/minimum"), (##"{"$ref": 1}"##, "/$ref"),
    ])
    func malformedKeywordsAreInvalid(schema: String, pointer: String) {
        guard case .invalidSchema(_, let at) = SchemaTesting.error(schema) else {
            Issue.record("\(schema) should be invalid")
            return
        }
        #expect(at == pointer)
    }

    @Test func unresolvedReferences() {
        #expect(SchemaTesting.error(##"{"properties": {"a": {"$ref": "#/$defs/missing"}}}"##) == .unresolvedReference(reference: "#/$defs/missing", pointer: "/properties/a/$ref"))
        #expect(SchemaTesting.error(##"{"$ref": "#nowhere"}"##) == .unresolvedReference(reference: "#nowhere", pointer: "/$ref"))
        #expect(SchemaTesting.error(##"{"$ref": "#/a~2"}"##) == .unresolvedReference(reference: "#/a~2", pointer: "/$ref"))
    }

    @Test func errorsReadWell() {
        let error = JSONSchemaError.unsupported(keyword: "not", pointer: "/properties/a/not")
        #expect(error.description == "JSON Schema keyword 'not' at '/properties/a/not' is not supported")
    }
}
