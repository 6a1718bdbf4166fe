import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaArrayTests {
    @Test func itemsAndCounts() {
        expectLanguage(#"{"type": "array", "items": {"type": "integer"}}"#,
                       accepts: ["[]", "[1]", "[1, 2, 3]", "[ 1 ,2 ]"], rejects: ["[1,]", "[,1]", "[1.5]", "[1 2]", "{}"])
        expectLanguage(#"{"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 3}"#,
                       accepts: ["[1, 2]", "[1, 2, 3]"], rejects: ["[]", "[1]", "[1, 2, 3, 4]"])
        expectLanguage(#"{"type": "array", "minItems": 1}"#, accepts: [#"[null, "a", {}]"#], rejects: ["[]"])
        expectLanguage(#"{"type": "array", "maxItems": 0}"#, accepts: ["[]"], rejects: ["[1]"])
    }

    @Test func prefixItemsThenItems() {
        let schema = #"{"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}], "items": {"type": "null"}, "minItems": 1}"#
        expectLanguage(schema, accepts: [#"["a"]"#, #"["a", true]"#, #"["a", false, null, null]"#],
                       rejects: ["[]", "[true]", #"["a", null]"#, #"["a", true, 1]"#])
        expectLanguage(#"{"prefixItems": [{"type": "integer"}], "items": false}"#, accepts: ["[]", "[1]"], rejects: ["[1, 2]"])
    }

    @Test func draft4TupleItemsWithAdditionalItems() {
        expectLanguage(#"{"$schema": "http://json-schema.org/draft-04/schema#", "items": [{"type": "integer"}, {"type": "string"}], "additionalItems": false}"#,
                       accepts: ["[]", "[1]", #"[1, "a"]"#], rejects: [#"[1, "a", 2]"#, #"["a"]"#])
        expectLanguage(#"{"items": [{"type": "integer"}], "additionalItems": {"type": "boolean"}}"#,
                       accepts: ["[1, true, false]"], rejects: ["[1, 2]"])
    }

    @Test func anUnsatisfiablePrefixItemEndsTheArray() {
        expectLanguage(#"{"prefixItems": [{"type": "integer"}, false], "minItems": 0}"#, accepts: ["[]", "[1]"], rejects: ["[1, 2]"])
        #expect(SchemaTesting.error(#"{"type": "array", "prefixItems": [{"type": "integer"}, false], "minItems": 2}"#) != nil)
    }

    @Test func hugeMaxItemsIsLeftUnboundedAndRecorded() throws {
        let compilation = try SchemaCompilation(root: SchemaTesting.schema(#"{"maxItems": 1000000}"#), options: SchemaTesting.options())
        var emitter = GrammarEmitter(compilation: compilation)
        let grammar = try emitter.grammar(for: compilation.lower(compilation.root, at: JSONPointer()))
        #expect(grammar.rules.count < 2_000)
        #expect(compilation.approximations.contains { $0.contains("maxItems") })
    }
}
