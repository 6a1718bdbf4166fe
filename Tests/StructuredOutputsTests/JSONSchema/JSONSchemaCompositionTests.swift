import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaCompositionTests {
    @Test func anyOfAndOneOf() {
        expectLanguage(##"{"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 1}]}"##,
                       accepts: ["1", #""a""#], rejects: [#""ab""#, "1.5", "null"])
        // oneOf is read as anyOf: a value matching two options is accepted too (documented).
        expectLanguage(##"{"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 0}]}"##, accepts: ["-1", "0.5", "3"], rejects: ["-0.5"])
    }

    @Test func siblingKeywordsMergeIntoEveryOption() {
        expectLanguage(##"{"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"], "anyOf": [{"properties": {"n": {"type": "integer"}}, "required": ["n"]}, {"properties": {"s": {"type": "string"}}}]}"##,
                       accepts: [##"{"kind": "a", "n": 1}"##, ##"{"kind": "b", "s": "x"}"##, ##"{"kind": "c"}"##],
                       rejects: [##"{"n": 1}"##, ##"{"kind": "a", "s": 1}"##, "[]"])
    }

    @Test func allOfOfDifferentTypesAllowsNothing() {
        guard case .unsatisfiable = SchemaTesting.error(##"{"allOf": [{"type": "string"}, {"type": "integer"}]}"##) else {
            Issue.record("string and integer should not merge")
            return
        }
    }

    @Test func localReferencesAndRecursion() {
        let tree = ##"{"$defs": {"node": {"type": "object", "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}, "required": ["value"], "additionalProperties": false}}, "$ref": "#/$defs/node"}"##
        expectLanguage(tree, accepts: [##"{"value": 1}"##, ##"{"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}, {"value": 4}]}"##],
                       rejects: [##"{"value": 1, "children": [{}]}"##, ##"{"children": []}"##])
        expectLanguage(##"{"definitions": {"a b": {"type": "boolean"}}, "properties": {"x": {"$ref": "#/definitions/a%20b"}}}"##,
                       accepts: [##"{"x": true}"##], rejects: [##"{"x": 1}"##])
        expectLanguage(##"{"type": "array", "items": [{"type": "string"}], "additionalItems": {"$ref": "#/items/0"}}"##, accepts: [##"["a", "b"]"##], rejects: [##"["a", 1]"##])
        expectLanguage(##"{"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#"}}]}"##, accepts: ["null", "[]", "[null, [[]]]"], rejects: ["[1]"])
        expectLanguage(##"{"$id": "https://example.com/root.json", "$defs": {"x": {"$anchor": "thing", "type": "integer"}}, "properties": {"a": {"$ref": "#thing"}, "b": {"$ref": "https://example.com/root.json#/$defs/x"}}}"##,
                       accepts: [##"{"a": 1, "b": 2}"##], rejects: [##"{"a": "s"}"##, ##"{"b": "s"}"##])
    }

    @Test func referenceSiblingsMergeFrom2019AndAreIgnoredBefore() {
        let body = ##""definitions": {"s": {"type": "string"}}, "properties": {"a": {"$ref": "#/definitions/s", "maxLength": 1}}"##
        expectLanguage("{" + body + "}", accepts: [##"{"a": "x"}"##], rejects: [##"{"a": "xy"}"##])
        expectLanguage(##"{"$schema": "http://json-schema.org/draft-07/schema#", "## + body + "}", accepts: [##"{"a": "xy"}"##])
    }

    @Test func aReferenceCycleThatMustBeMergedIsRefused() {
        #expect(SchemaTesting.error(##"{"$defs": {"a": {"allOf": [{"$ref": "#/$defs/a"}], "type": "object"}}, "$ref": "#/$defs/a"}"##)
                == .unsupported(keyword: "$ref", pointer: "/$defs/a"))
    }

    @Test func aReferenceToNothingIsAnEmptyLanguage() {
        guard case .unsatisfiable = SchemaTesting.error(##"{"$defs": {"no": false, "loop": {"$ref": "#/$defs/loop"}}, "anyOf": [{"$ref": "#/$defs/no"}, {"$ref": "#/$defs/loop"}]}"##) else {
            Issue.record("references to false and to a bare loop allow nothing")
            return
        }
    }
}

@Suite struct JSONSchemaDraftTests {
    @Test func draft7IgnoresEvenUnsupportedSiblingsOfARef() {
        expectLanguage(##"{"$schema": "http://json-schema.org/draft-07/schema#", "definitions": {"n": {"type": "null"}}, "$ref": "#/definitions/n", "not": {}}"##,
                       accepts: ["null"], rejects: ["1"])
    }
}
