import Foundation
import HummingbirdTesting
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// Fields the server does not carry out yet are a 400 naming them; their default values pass.
extension ServerSuites {
@Suite struct UnhonouredFieldsTests {
    func check(_ json: String, _ endpoint: UnhonouredFields.Endpoint) throws {
        guard case .object(let object) = try JSONValue(parsing: json) else { throw APIError.badRequest("not an object") }
        try UnhonouredFields.check(object, endpoint: endpoint)
    }

    func refused(_ json: String, _ endpoint: UnhonouredFields.Endpoint, field: String,
                 sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) { try check(json, endpoint) } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.status == 400 && error.param == field && error.message.contains("`\(field)`")
        }
    }

    @Test func refusesWhatItCannotDo() {
        refused(#"{"function_call": {"name": "f"}}"#, .chat, field: "function_call")
        refused(#"{"use_beam_search": true}"#, .completions, field: "use_beam_search")
        refused(#"{"best_of": 3, "n": 1}"#, .completions, field: "best_of")
        refused(#"{"suffix": "end"}"#, .completions, field: "suffix")
        refused(#"{"return_token_ids": true}"#, .chat, field: "return_token_ids")
        refused(#"{"truncation_side": "right"}"#, .completions, field: "truncation_side")
        refused(#"{"functions": [{"name": "f"}]}"#, .chat, field: "functions")
    }

    @Test func defaultsAndUnknownFieldsPass() throws {
        try check(#"{"response_format": {"type": "text"}, "tools": [], "tool_choice": "none", "structured_outputs": null,"#
                  + #" "use_beam_search": false, "best_of": 2, "n": 2, "stream_options": {"include_usage": true},"#
                  + #" "chat_template_kwargs": {}, "modalities": ["text"], "truncation_side": "left", "user": "u","#
                  + #" "no_stop_trim": true, "separate_reasoning": true, "metadata": {"k": "v"}}"#, .chat)
        try check(#"{"tool_choice": "auto", "echo": false, "return_token_ids": false}"#, .chat)
        // Fields of one endpoint only are not looked at on the other.
        try check(#"{"tools": [{"type": "function"}], "echo": true}"#, .completions)
        try check(#"{"suffix": "x"}"#, .chat)
    }

    /// Through the server: a field it cannot carry out gets 400; a plain request with default values
    /// still runs.
    @Test func overHTTP() async throws {
        try await ServerFixture.withServer { client in
            let refused = try await ServerFixture.post(client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"hi"}],"max_tokens":4,"functions":[{"name":"f","parameters":{}}]}"#)
            #expect(refused.status.code == 400)
            let plain = try await ServerFixture.post(client, "/v1/chat/completions",
                #"{"messages":[{"role":"user","content":"hi"}],"max_tokens":2,"response_format":{"type":"text"},"tool_choice":"none"}"#)
            #expect(plain.status.code == 200)
        }
    }
}
}
