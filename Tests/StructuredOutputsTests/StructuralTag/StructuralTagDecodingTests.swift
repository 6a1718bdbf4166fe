import SwiftletJSON
import Testing
@testable import StructuredOutputs

/// The JSON forms of a structural tag: what they decode to, and the errors (with their paths)
/// for the ones refused.
@Suite struct StructuralTagDecodingTests {
    static func decode(_ text: String) throws -> StructuralTag {
        try StructuralTag(jsonText: text)
    }

    static func error(_ text: String) -> StructuralTagError? {
        do {
            _ = try StructuralTag(jsonText: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func formTreeDecodes() throws {
        let tag = try Self.decode(#"""
            {"type": "structural_tag", "format": {"type": "sequence", "elements": [
              {"type": "tag", "begin": "<think>", "content": {"type": "any_text", "max_tokens": null}, "end": "</think>"},
              {"type": "triggered_tags", "triggers": ["<function="], "at_least_one": false, "stop_after_first": true, "excludes": ["<|x|>"],
               "tags": [{"type": "tag", "begin": "<function=f>", "content": {"type": "json_schema", "json_schema": {"type": "object"}, "style": "json"},
                         "end": ["</function>", "</f>"]}]},
              {"type": "or", "elements": [{"type": "const_string", "value": "a"}, {"type": "regex", "pattern": "b+"}]},
              {"type": "tags_with_separator", "separator": ",", "at_least_one": true,
               "tags": [{"begin": "<i>", "content": {"type": "optional", "content": {"type": "const_string", "value": "x"}}, "end": "</i>"}]},
              {"type": "star", "content": {"type": "plus", "content": {"type": "const_string", "value": "y"}}}
            ]}}
            """#)
        let expected = StructuralTag(format: .sequence([
            .tag(.init(begin: "<think>", content: .anyText(excludes: []), end: "</think>")),
            .triggeredTags(.init(triggers: ["<function="], tags: [.init(begin: "<function=f>", content: .jsonSchema(["type": "object"]),
                                                                         ends: ["</function>", "</f>"])],
                                 stopAfterFirst: true, excludes: ["<|x|>"])),
            .or([.constString("a"), .regex("b+")]),
            .tagsWithSeparator(.init(tags: [.init(begin: "<i>", content: .optional(.constString("x")), end: "</i>")], separator: ",", atLeastOne: true)),
            .star(.plus(.constString("y"))),
        ]))
        #expect(tag == expected)
        // Decoding checks the form; compiling finds the triggered tags followed by an `or`.
        #expect(throws: StructuralTagError.unsupported(
            field: "type", message: "free text (any_text, triggered_tags) must end the output, be a tag's content, or come right before a const_string or tag in a sequence",
            path: "/format/elements/1")) { try StructuralTagCompiler.compile(tag) }
    }

    /// A legacy structure without a schema (or a null one) allows any JSON value.
    @Test func legacyFormDecodes() throws {
        let tag = try Self.decode(#"{"type": "structural_tag", "triggers": ["<f"], "structures": [{"begin": "<f1>", "schema": null, "end": "</f>"}, {"begin": "<f2>", "end": "</f>"}]}"#)
        #expect(tag == StructuralTag(triggers: ["<f"], structures: [.init(begin: "<f1>", schema: .object([:]), end: "</f>"),
                                                                    .init(begin: "<f2>", schema: .object([:]), end: "</f>")]))
        let recognizer = ReferenceRecognizer(try StructuralTagCompiler.compile(tag))
        #expect(recognizer.accepts(#"a <f1>[1, "x"]</f> b <f2>null</f>"#))
        #expect(!recognizer.accepts("a <f3>1</f>"))
    }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var json: String
        var error: StructuralTagError
        var testDescription: String { json }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(json: "[]", error: .invalid(message: "a structural tag must be a JSON object", path: "")),
        ErrorCase(json: #"{"type": "json_schema", "format": {"type": "any_text"}}"#,
                  error: .invalid(message: "'type' must be \"structural_tag\"", path: "/type")),
        ErrorCase(json: #"{"type": "structural_tag"}"#,
                  error: .invalid(message: "a structural tag needs 'format' (or the legacy 'structures' and 'triggers')", path: "/format")),
        ErrorCase(json: #"{"type": "structural_tag", "structures": [], "triggers": "<a"}"#,
                  error: .invalid(message: "must be a list of strings", path: "/triggers")),
        ErrorCase(json: #"{"structures": [{"begin": "<a>", "schema": {}, "end": "</a>", "extra": 1}], "triggers": ["<a"]}"#,
                  error: .unsupported(field: "extra", message: "unknown field; allowed here: begin, end, schema", path: "/structures/0/extra")),
        ErrorCase(json: #"{"structures": [{"begin": 1, "end": "</a>"}], "triggers": ["<a"]}"#,
                  error: .invalid(message: "'begin' must be a string", path: "/structures/0/begin")),
        ErrorCase(json: #"{"format": {"type": "dispatch", "rules": []}}"#,
                  error: .unsupported(field: "type", message: "format type \"dispatch\" is not supported; supported: const_string, json_schema, regex, any_text, sequence, or, optional, star, plus, tag, triggered_tags, tags_with_separator",
                                      path: "/format/type")),
        ErrorCase(json: #"{"format": {"type": "sequence", "elements": [{"type": "const_string", "value": "a", "valeu": "b"}]}}"#,
                  error: .unsupported(field: "valeu", message: "unknown field; allowed here: type, value", path: "/format/elements/0/valeu")),
        ErrorCase(json: #"{"format": {"type": "json_schema", "json_schema": {}, "style": "qwen_xml"}}"#,
                  error: .unsupported(field: "style", message: "only its default value is supported", path: "/format/style")),
        ErrorCase(json: #"{"format": {"type": "any_text", "max_tokens": 5}}"#,
                  error: .unsupported(field: "max_tokens", message: "only its default value is supported", path: "/format/max_tokens")),
        ErrorCase(json: #"{"format": {"type": "tag", "begin": {"type": "token", "token": 5}, "content": {"type": "any_text"}, "end": "x"}}"#,
                  error: .unsupported(field: "begin", message: "only a string begin is supported (not a token)", path: "/format/begin")),
        ErrorCase(json: #"{"format": {"type": "triggered_tags", "triggers": ["<a"], "tags": [{"type": "const_string", "value": "x"}]}}"#,
                  error: .unsupported(field: "value", message: "unknown field; allowed here: begin, content, end, type", path: "/format/tags/0/value")),
        ErrorCase(json: #"{"format": {"type": "triggered_tags", "triggers": ["<a"], "tags": [], "at_least_one": "yes"}}"#,
                  error: .invalid(message: "'at_least_one' must be true or false", path: "/format/at_least_one")),
        ErrorCase(json: #"{"format": {"type": "json_schema", "json_schema": "{}"}}"#,
                  error: .invalid(message: "'json_schema' must be a JSON Schema (an object or a boolean)", path: "/format/json_schema")),
        ErrorCase(json: #"{"format": {"type": "or"}}"#, error: .invalid(message: "'elements' must be a list", path: "/format/elements")),
        ErrorCase(json: "{\"format\": ", error: .invalid(message: "not valid JSON: unexpected end of input at line 1, column 12 (byte 11)", path: "")),
    ]

    @Test(arguments: errorCases) func refused(_ test: ErrorCase) {
        let error = Self.error(test.json)
        #expect(error == test.error, "\(error.map(String.init(describing:)) ?? "decoded")")
    }

    @Test func errorDescriptionsNameFieldAndPath() {
        let error = StructuralTagError.unsupported(field: "style", message: "only its default value is supported", path: "/format/style")
        #expect(error.description == "unsupported structural tag field 'style' at /format/style: only its default value is supported")
    }
}
