import Foundation
import HummingbirdTesting
@testable import OpenAIServer
import Testing

/// The request checks vLLM 0.34 makes (sampling_params.py, the OpenAI protocol models, the
/// renderer's max_tokens rule), each refused with a 400 naming the field, and the boundary values
/// it accepts still served.
extension ServerSuites {
@Suite struct RequestValidationTests {
    static let completion = #"{"prompt": "Hi", "max_tokens": 2, "#
    static let chat = #"{"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2, "#

    /// Bodies vLLM refuses, the endpoint and the field the error names.
    static let refused: [(String, String, String)] = [
        ("/v1/completions", completion + #""top_k": -5}"#, "top_k"),
        ("/v1/completions", completion + #""temperature": 2.5}"#, "temperature"),
        ("/v1/chat/completions", chat + #""temperature": 2.01}"#, "temperature"),
        ("/v1/completions", completion + #""n": 2, "temperature": 0}"#, "n"),
        ("/v1/chat/completions", chat + #""n": 3, "temperature": 0}"#, "n"),
        ("/v1/completions", completion + #""n": 16385, "temperature": 1}"#, "n"),
        ("/v1/completions", completion + #""stop": ["a", "b", "c", "d", "e"]}"#, "stop"),
        ("/v1/chat/completions", chat + #""stream_options": {"include_usage": true}}"#, "stream_options"),
        ("/v1/completions", completion + #""stream": false, "stream_options": {"include_usage": true}}"#, "stream_options"),
        ("/v1/completions", completion + #""cache_salt": ""}"#, "cache_salt"),
        ("/v1/chat/completions", chat + #""cache_salt": "a/b"}"#, "cache_salt"),
        ("/v1/completions", completion + #""cache_salt": "\#(String(repeating: "s", count: 129))"}"#, "cache_salt"),
        ("/v1/completions", completion + #""thinking_token_budget": 5}"#, "thinking_token_budget"),
        ("/v1/chat/completions", chat + #""repetition_detection": {"max_pattern_size": 2, "min_count": 2}}"#, "repetition_detection"),
        ("/v1/completions", completion + #""structured_outputs": {}}"#, "structured_outputs"),
        ("/v1/completions", completion + #""structured_outputs": {"json_object": false}}"#, "structured_outputs.json_object"),
        ("/v1/completions", completion + #""structured_outputs": {"regex": "a\u0000b"}}"#, "structured_outputs.regex"),
        ("/v1/chat/completions", chat + #""response_format": {"type": "json_schema", "json_schema": {"schema": {"type": "object"}}}}"#,
         "response_format.json_schema.name"),
        ("/v1/chat/completions", chat + #""chat_template_kwargs": {"chat_template": "{{ messages }}"}}"#, "chat_template_kwargs"),
        ("/v1/chat/completions", chat + #""reasoning_effort": "foo"}"#, "reasoning_effort"),
        ("/v1/completions", #"{"prompt": "Hi", "max_tokens": 129}"#, "max_tokens"),
        ("/v1/completions", completion + #""n": 1.5}"#, "n"),
        ("/v1/completions", completion + #""bad_words": [\#((0..<130).map { "\"w\($0)\"" }.joined(separator: ","))]}"#, "bad_words"),
        ("/v1/completions", #"{"max_tokens": 1, "prompt": [\#(Array(repeating: "[1]", count: 1025).joined(separator: ","))]}"#, "prompt"),
    ]

    @Test func vLLMsChecksRefuseWithTheField() async throws {
        try await ServerFixture.withServer { client in
            for (path, body, field) in Self.refused {
                let response = try await ServerFixture.post(client, path, body)
                #expect(response.status == .badRequest, "\(body.prefix(120))")
                let error = try ServerFixture.json(response)["error"] as? [String: Any]
                #expect(error?["param"] as? String == field, "\(body.prefix(120)): \(error?["message"] ?? "")")
            }
        }
    }

    @Test func boundaryValuesAreServed() async throws {
        let accepted: [(String, String)] = [
            ("/v1/completions", Self.completion + #""top_k": -1}"#),
            ("/v1/completions", Self.completion + #""temperature": 2}"#),
            ("/v1/completions", Self.completion + #""n": 2, "temperature": 0.5}"#),
            ("/v1/completions", Self.completion + #""stop": ["a", "b", "c", "d"]}"#),
            ("/v1/chat/completions", Self.chat + #""stream_options": {}}"#),
            ("/v1/completions", Self.completion + #""cache_salt": "\#(String(repeating: "s", count: 128))"}"#),
            ("/v1/completions", Self.completion + #""thinking_token_budget": -1}"#),
            ("/v1/chat/completions", Self.chat + #""reasoning_effort": "low"}"#),
        ]
        try await ServerFixture.withServer { client in
            for (path, body) in accepted {
                let response = try await ServerFixture.post(client, path, body)
                #expect(response.status == .ok, "\(body): \(String(buffer: response.body))")
            }
        }
    }

    /// vLLM 0.34 lowers max_tokens to the room the prompt leaves instead of refusing the request.
    @Test func maxTokensIsLoweredToTheRoomLeft() async throws {
        try await ServerFixture.withServer { client in
            // 5 prompt tokens in a 128-token context: 123 tokens of room.
            let response = try await ServerFixture.post(client, "/v1/completions",
                #"{"prompt": "The capital of France is", "max_tokens": 128, "ignore_eos": true, "temperature": 0}"#)
            #expect(response.status == .ok)
            let usage = try ServerFixture.json(response)["usage"] as? [String: Any]
            #expect(usage?["completion_tokens"] as? Int == 123)
        }
    }
}
}
