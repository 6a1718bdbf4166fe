import SwiftletJSON
import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaObjectTests {
    @Test func propertiesComeInSchemaOrderAndOptionalOnesMayBeLeftOut() {
        let schema = #"{"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "string"}, "c": {"type": "boolean"}}, "required": ["b"], "additionalProperties": false}"#
        expectLanguage(schema,
                       accepts: [#"{"b": "x"}"#, #"{"a": 1, "b": "x"}"#, #"{"a": 1, "b": "x", "c": true}"#, #"{"b":"x","c":false}"#, "{ \"b\" :\n\"x\" }"],
                       rejects: ["{}", #"{"b": "x", "a": 1}"#, #"{"a": 1}"#, #"{"b": "x", "d": 1}"#, #"{"b": 1}"#, #"{"b": "x",}"#, #"{"b": "x", "b": "y"}"#])
    }

    @Test func requiredNamesOutsidePropertiesFollowThemWithTheAdditionalSchema() {
        expectLanguage(#"{"properties": {"a": {"type": "integer"}}, "required": ["z", "a"], "additionalProperties": {"type": "string"}}"#,
                       accepts: [#"{"a": 1, "z": "s"}"#, #"{"a": 1, "z": "s", "other": "t"}"#],
                       rejects: [#"{"a": 1}"#, #"{"z": "s", "a": 1}"#, #"{"a": 1, "z": 2}"#, #"{"a": 1, "z": "s", "other": 3}"#])
        // A required name that additionalProperties false forbids: no object fits.
        #expect(SchemaTesting.error(#"{"type": "object", "required": ["a"], "additionalProperties": false}"#) != nil)
    }

    @Test func additionalPropertiesComeAfterTheNamedOnesAndNeverRepeatThem() {
        let schema = #"{"type": "object", "properties": {"id": {"type": "integer"}}, "additionalProperties": {"type": "number"}}"#
        expectLanguage(schema,
                       accepts: ["{}", #"{"id": 3}"#, #"{"id": 3, "x": 1.5, "y": 2}"#, #"{"x": 1}"#, #"{"i": 1, "idx": 2, "": 3}"#],
                       rejects: [#"{"x": 1, "id": 3}"#, #"{"id": 3, "id": 4}"#, #"{"id": 3.5}"#, #"{"x": "s"}"#])
        expectLanguage(#"{"type": "object"}"#, accepts: ["{}", #"{"a": [1, {"b": null}]}"#], rejects: ["[]", #"{"a"}"#])
    }

    @Test func additionalPropertiesDefaultFalseClosesObjectsWithoutTheKeyword() {
        let options = SchemaTesting.options { $0.additionalPropertiesDefault = false }
        expectLanguage(#"{"type": "object", "properties": {"a": {"type": "integer"}}}"#,
                       accepts: ["{}", #"{"a": 1}"#], rejects: [#"{"a": 1, "b": 2}"#], options: options)
        expectLanguage(#"{"type": "object", "properties": {"a": {"type": "integer"}}, "additionalProperties": true}"#,
                       accepts: [#"{"a": 1, "b": 2}"#], options: options)
    }

    @Test func patternPropertiesTakeMatchingKeysOtherThanNamedOnes() {
        // A named property the pattern also matches must satisfy both schemas: x-id is an integer.
        let schema = #"{"type": "object", "properties": {"x-id": {"type": "integer"}}, "patternProperties": {"^x-": {"type": ["string", "integer"]}}, "additionalProperties": false}"#
        expectLanguage(schema,
                       accepts: [#"{"x-id": 1, "x-a": "s", "x-b": 2}"#, #"{"x-a": "s"}"#],
                       rejects: [#"{"x-id": "s"}"#, #"{"x-a": true}"#, #"{"y": "s"}"#, #"{"x-a": "s", "x-id": 1}"#])
        expectLanguage(#"{"properties": {"x-n": {"type": "number"}}, "patternProperties": {"^x-": {"type": "integer"}}}"#,
                       accepts: [#"{"x-n": 2}"#, #"{"x-n": 2, "x-m": 3}"#], rejects: [#"{"x-n": 2.5}"#])
    }

    @Test func minAndMaxPropertiesAreCounted() {
        let schema = #"{"type": "object", "properties": {"a": {}, "b": {}, "c": {}}, "minProperties": 1, "maxProperties": 2, "additionalProperties": {"type": "integer"}}"#
        expectLanguage(schema,
                       accepts: [#"{"a": 1}"#, #"{"c": 1}"#, #"{"a": 1, "c": 2}"#, #"{"z": 1}"#, #"{"b": 0, "z": 1}"#],
                       rejects: ["{}", #"{"a": 1, "b": 2, "c": 3}"#, #"{"a": 1, "y": 1, "z": 2}"#])
        expectLanguage(#"{"type": "object", "minProperties": 2}"#, accepts: [#"{"a": 1, "b": 2}"#, #"{"a": 1, "b": 2, "c": 3}"#], rejects: [#"{"a": 1}"#])
    }

    @Test func keysAreEscapedAsJSONWritesThem() {
        expectLanguage(#"{"properties": {"a\"b\\c\nd": {"const": 1}, "é/ü": {"const": 2}}, "additionalProperties": false}"#,
                       accepts: [#"{"a\"b\\c\nd": 1}"#, #"{"é/ü": 2}"#], rejects: [#"{"a\u0022b\\c\nd": 1}"#, #"{"ab": 1}"#])
    }

    @Test func mergedObjectsKeepTheLeftOrderThenTheRight() {
        let schema = #"{"allOf": [{"properties": {"b": {"type": "integer"}, "a": {}}}, {"properties": {"c": {}, "a": {"type": "string"}}, "required": ["a"]}]}"#
        expectLanguage(schema, accepts: [#"{"b": 1, "a": "s", "c": 0}"#, #"{"a": "s"}"#],
                       rejects: [#"{"a": "s", "b": 1}"#, #"{"b": 1, "a": 2}"#, #"{"b": 1}"#])
        // additionalProperties in a later group still leaves out the names of `properties`.
        expectLanguage(#"{"properties": {"a": {"type": "integer"}}, "anyOf": [{"required": ["a"]}], "additionalProperties": false}"#,
                       accepts: [#"{"a": 1}"#], rejects: ["{}", #"{"a": 1, "b": 2}"#])
    }
}

@Suite struct JSONSchemaPatternPropertiesTests {
    private let options = JSONSchemaOptions(patternToRegex: TestPatternParser.translator)

    @Test func additionalKeysLeaveOutWhatThePatternsMatch() {
        expectLanguage(#"{"patternProperties": {"^x-": {"type": "integer"}, "^[0-9]+$": {"type": "boolean"}}, "additionalProperties": {"type": "string"}}"#,
                       accepts: [#"{"x-a": 1, "12": true, "other": "s", "x": "t", "": "u", "1a": "v"}"#],
                       rejects: [#"{"x-a": "s"}"#, #"{"12": "s"}"#, #"{"other": 1}"#], options: options)
        // Every key matches: no additional member at all.
        expectLanguage(#"{"patternProperties": {"^.*$": {"type": "array"}}}"#,
                       accepts: [#"{"a": [], "b": [1]}"#], rejects: [#"{"a": 1}"#], options: options)
    }

    @Test func theTestPatternParserReadsTheCommonSyntax() {
        expectLanguage(#"{"type": "string", "pattern": "^[A-Za-z_][\\w-]{0,3}(\\.\\d+)?$"}"#,
                       accepts: [#""a""#, #""_b-9.12""#], rejects: [#""9a""#, #""abcde""#, #""a.""#], options: options)
        expectLanguage(#"{"type": "string", "pattern": "(?:cat|dog)s?"}"#, accepts: [#""hotdogs!""#], rejects: [#""do g""#], options: options)
    }
}

@Suite struct JSONSchemaInstanceOrderTests {
    @Test func membersFollowTheSchemaOrderAndTheBestFittingOption() throws {
        let schema = SchemaTesting.schema(#"{"anyOf": [{"type": "object", "properties": {"kind": {"const": "a"}, "x": {}}}, {"type": "object", "properties": {"y": {"type": "array", "items": {"properties": {"p": {}, "q": {}}}}, "kind": {"const": "b"}}, "required": ["kind"]}]}"#)
        let instance = SchemaTesting.schema(#"{"extra": 0, "kind": "b", "y": [{"q": 1, "p": 2}]}"#)
        let ordered = try JSONSchemaInstanceOrder.reordered(instance, schema: schema)
        #expect(PythonJSONText.text(of: ordered) == #"{"y": [{"p": 2, "q": 1}], "kind": "b", "extra": 0}"#)
        #expect(ReferenceRecognizer(try JSONSchemaCompiler.compile(schema)).accepts(PythonJSONText.text(of: ordered)))
        #expect(!ReferenceRecognizer(try JSONSchemaCompiler.compile(schema)).accepts(PythonJSONText.text(of: instance)))
    }
}
