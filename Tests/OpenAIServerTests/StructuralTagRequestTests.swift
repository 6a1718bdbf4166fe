import Engine
import HummingbirdTesting
import StructuredOutputs
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// Structural tags in a request body: `response_format` of type `structural_tag` (both forms) and
/// `structured_outputs.structural_tag` (a JSON string, as vLLM takes it).
@Suite struct StructuralTagRequestTests {
    func params(_ json: String) throws -> StructuredOutputsParams? {
        guard case .object(let object) = try JSONValue(parsing: json) else { return nil }
        return try StructuredOutputsRequest.params(from: object)
    }

    static let hermes = StructuralTag(triggers: ["<tool_call>"], structures: [
        .init(begin: "<tool_call>", schema: ["type": "object", "properties": ["name": ["const": "f"]]], end: "</tool_call>"),
    ])

    @Test func everySpelling() throws {
        let legacy = #"{"type": "structural_tag", "triggers": ["<tool_call>"], "structures": [{"begin": "<tool_call>", "schema": {"type": "object", "properties": {"name": {"const": "f"}}}, "end": "</tool_call>"}]}"#
        #expect(try params(#"{"response_format": \#(legacy)}"#) == StructuredOutputsParams(.structuralTag(Self.hermes)))
        let escaped = legacy.replacingOccurrences(of: "\"", with: "\\\"")
        #expect(try params(#"{"structured_outputs": {"structural_tag": "\#(escaped)", "disable_any_whitespace": true}}"#)
                == StructuredOutputsParams(.structuralTag(Self.hermes), disableAnyWhitespace: true))
        #expect(try params(#"{"structured_outputs": {"structural_tag": \#(legacy)}}"#) == StructuredOutputsParams(.structuralTag(Self.hermes)))
        let format = #"{"type": "structural_tag", "format": {"type": "tag", "begin": "<think>", "content": {"type": "any_text"}, "end": "</think>"}}"#
        let think = StructuralTag(format: .tag(.init(begin: "<think>", content: .anyText(excludes: []), end: "</think>")))
        #expect(try params(#"{"response_format": \#(format)}"#) == StructuredOutputsParams(.structuralTag(think)))
    }

    @Test func malformedTagsAreRefused() {
        for (body, field, message) in [
            (#"{"response_format": {"type": "structural_tag"}}"#, "response_format",
             "response_format: invalid structural tag at /format: a structural tag needs 'format' (or the legacy 'structures' and 'triggers')"),
            (#"{"response_format": {"type": "structural_tag", "format": {"type": "token", "token": 3}}}"#, "response_format",
             "response_format: unsupported structural tag field 'type' at /format/type: format type \"token\" is not supported; supported: const_string, json_schema, regex, any_text, sequence, or, optional, star, plus, tag, triggered_tags, tags_with_separator"),
            (#"{"response_format": {"type": "structural_tag", "triggers": ["<a"], "structures": [{"begin": "<a>", "end": 3}]}}"#,
             "response_format", "response_format: invalid structural tag at /structures/0/end: 'end' must be a string"),
            (#"{"structured_outputs": {"structural_tag": "{not json"}}"#, "structured_outputs.structural_tag",
             "structured_outputs.structural_tag is not valid JSON: expected a string key at line 1, column 2 (byte 1)"),
            (#"{"structured_outputs": {"structural_tag": 7}}"#, "structured_outputs.structural_tag",
             "structured_outputs.structural_tag: invalid structural tag: a structural tag must be a JSON object"),
            (#"{"structured_outputs": {"structural_tag": {"format": {"type": "any_text"}}, "regex": "a"}}"#, "structured_outputs.structural_tag",
             "give one structured output constraint, got structured_outputs.regex, structured_outputs.structural_tag"),
        ] {
            #expect(performing: { try params(body) }, throws: { error in
                guard let error = error as? APIError, error.status == 400, error.param == field else { return false }
                #expect(error.message == message)
                return true
            })
        }
    }
}

/// A structural tag through the server on the real model: the forced tool call comes back whole.
extension ServerSuites {
@Suite struct StructuralTagHTTPTests {
    @Test func forcedCallOverHTTP() async throws {
        try await ServerFixture.withServer { client in
            let tag = #"{"type": "structural_tag", "format": {"type": "triggered_tags", "triggers": ["<tool_call>"], "at_least_one": true, "stop_after_first": true, "tags": [{"type": "tag", "begin": "<tool_call>", "end": "</tool_call>", "content": {"type": "json_schema", "json_schema": {"type": "object", "properties": {"a": {"type": "integer", "minimum": 0, "maximum": 9}}, "required": ["a"], "additionalProperties": false}}}]}}"#
            let response = try await ServerFixture.post(client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"hi"}],"max_tokens":48,"temperature":0,"response_format":\#(tag),"structured_outputs":{"disable_any_whitespace":true}}"#)
            #expect(response.status.code == 200)
            let choice = try #require((try ServerFixture.json(response)["choices"] as? [[String: Any]])?.first)
            let content = try #require((choice["message"] as? [String: Any])?["content"] as? String)
            // Greedy: the digit is the model's; the rest is forced.
            #expect(content == #"<tool_call>{"a":1}</tool_call>"#)
            #expect(choice["finish_reason"] as? String == "stop")
            let bad = try await ServerFixture.post(client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"structured_outputs":{"structural_tag":"{\"format\": {\"type\": \"sequence\", \"elements\": [{\"type\": \"any_text\"}, {\"type\": \"json_schema\", \"json_schema\": {}}]}}"}}"#)
            #expect(bad.status.code == 400)
        }
    }
}
}
