import Foundation
import HummingbirdTesting
@testable import OpenAIServer
import SwiftletJSON
import Testing

/// `/v1/responses`: a request runs as the chat request it stands for; the answer is reshaped into
/// output items, streamed as OpenAI's events, stored for `previous_response_id`.
extension ServerSuites {
@Suite struct ResponsesAPITests {
    func object(_ response: TestResponse) throws -> [String: Any] { try ServerFixture.json(response) }

    func chatAnswer(_ client: any TestClientProtocol, messages: String, maxTokens: Int) async throws -> (text: String, promptTokens: Int, finish: String) {
        let chat = try object(try await ServerFixture.post(client, "/v1/chat/completions",
            #"{"messages": \#(messages), "max_tokens": \#(maxTokens), "temperature": 0}"#))
        let choice = try #require((chat["choices"] as? [[String: Any]])?.first)
        let text = try #require((choice["message"] as? [String: Any])?["content"] as? String)
        let usage = try #require(chat["usage"] as? [String: Any])
        return (text, try #require(usage["prompt_tokens"] as? Int), try #require(choice["finish_reason"] as? String))
    }

    func outputText(_ response: [String: Any]) -> String? {
        let message = (response["output"] as? [[String: Any]])?.first { $0["type"] as? String == "message" }
        return ((message?["content"] as? [[String: Any]])?.first)?["text"] as? String
    }

    @Test func instructionsAndInputAnswerAsTheChatRequest() async throws {
        try await ServerFixture.withServer { client in
            let response = try await ServerFixture.post(client, "/v1/responses",
                #"{"model": "smollm2", "input": "What is the capital of France?", "instructions": "Answer briefly.", "max_output_tokens": 6, "temperature": 0, "metadata": {"k": "v"}}"#)
            #expect(response.status == .ok)
            let body = try object(response)
            let chat = try await chatAnswer(client, messages: #"[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "What is the capital of France?"}]"#, maxTokens: 6)
            #expect(outputText(body) == chat.text)
            #expect((body["id"] as? String)?.hasPrefix("resp_") == true)
            #expect(body["object"] as? String == "response")
            #expect(body["instructions"] as? String == "Answer briefly.")
            #expect(body["max_output_tokens"] as? Int == 6)
            #expect(body["store"] as? Bool == true)
            #expect(body["metadata"] as? [String: String] == ["k": "v"])
            #expect((body["text"] as? [String: Any])?["format"] as? [String: String] == ["type": "text"])
            #expect(body["status"] as? String == (chat.finish == "length" ? "incomplete" : "completed"))
            if chat.finish == "length" {
                #expect((body["incomplete_details"] as? [String: Any])?["reason"] as? String == "max_output_tokens")
            }
            let usage = try #require(body["usage"] as? [String: Any])
            #expect(usage["input_tokens"] as? Int == chat.promptTokens)
            #expect(usage["output_tokens"] as? Int == 6)
            #expect(usage["total_tokens"] as? Int == chat.promptTokens + 6)
            let item = try #require((body["output"] as? [[String: Any]])?.first)
            #expect(item["type"] as? String == "message" && item["role"] as? String == "assistant")
            #expect((item["id"] as? String)?.hasPrefix("msg_") == true)
        }
    }

    @Test func previousResponseContinuesTheConversationAndIsStored() async throws {
        try await ServerFixture.withServer { client in
            let first = try object(try await ServerFixture.post(client, "/v1/responses",
                #"{"input": "Name a color.", "instructions": "Be short.", "max_output_tokens": 5, "temperature": 0}"#))
            let id = try #require(first["id"] as? String)
            let firstText = try #require(outputText(first))
            let second = try object(try await ServerFixture.post(client, "/v1/responses",
                #"{"input": [{"role": "user", "content": [{"type": "input_text", "text": "Another one?"}]}], "previous_response_id": "\#(id)", "max_output_tokens": 5, "temperature": 0}"#))
            #expect(second["previous_response_id"] as? String == id)
            // The earlier turn without its instructions (they do not carry over), then the new input.
            let history = try JSONSerialization.data(withJSONObject: [
                ["role": "user", "content": "Name a color."], ["role": "assistant", "content": firstText],
                ["role": "user", "content": "Another one?"]])
            let chat = try await chatAnswer(client, messages: String(decoding: history, as: UTF8.self), maxTokens: 5)
            #expect(outputText(second) == chat.text)
            #expect((second["usage"] as? [String: Any])?["input_tokens"] as? Int == chat.promptTokens)
            let stored = try await client.execute(uri: "/v1/responses/\(id)", method: .get, headers: [:], body: nil)
            #expect(stored.status == .ok)
            #expect(outputText(try object(stored)) == firstText)
            let cancel = try await ServerFixture.post(client, "/v1/responses/\(id)/cancel", "")
            #expect(cancel.status == .badRequest)
            let unstored = try object(try await ServerFixture.post(client, "/v1/responses", #"{"input": "Hi", "max_output_tokens": 1, "store": false}"#))
            let missing = try await client.execute(uri: "/v1/responses/\(try #require(unstored["id"] as? String))", method: .get, headers: [:], body: nil)
            #expect(missing.status == .notFound)
            let unknown = try await ServerFixture.post(client, "/v1/responses", #"{"input": "x", "previous_response_id": "resp_nope"}"#)
            #expect(unknown.status == .notFound)
            #expect((try object(unknown)["error"] as? [String: Any])?["param"] as? String == "previous_response_id")
        }
    }

    @Test func streamedEventsSpellTheSameAnswer() async throws {
        try await ServerFixture.withServer { client in
            let request = #"{"input": "Count to five.", "max_output_tokens": 8, "temperature": 0"#
            let plain = try object(try await ServerFixture.post(client, "/v1/responses", request + "}"))
            let streamed = try await ServerFixture.post(client, "/v1/responses", request + #", "stream": true}"#)
            #expect(streamed.headers[.contentType] == "text/event-stream")
            let text = String(buffer: streamed.body)
            #expect(!text.contains("[DONE]"))
            var types: [String] = [], deltas = "", numbers: [Int] = []
            var final: [String: Any]?
            for block in text.components(separatedBy: "\n\n") where !block.isEmpty {
                let lines = block.components(separatedBy: "\n")
                #expect(lines.count == 2 && lines[0].hasPrefix("event: ") && lines[1].hasPrefix("data: "))
                let event = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].dropFirst(6).utf8)) as? [String: Any])
                let type = try #require(event["type"] as? String)
                #expect(lines[0] == "event: \(type)")
                types.append(type)
                numbers.append(try #require(event["sequence_number"] as? Int))
                if type == "response.output_text.delta" { deltas += try #require(event["delta"] as? String) }
                if type == "response.completed" { final = event["response"] as? [String: Any] }
            }
            let deltaCount = types.filter { $0 == "response.output_text.delta" }.count
            #expect(deltaCount > 0)
            #expect(types == ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"]
                + Array(repeating: "response.output_text.delta", count: deltaCount)
                + ["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"])
            #expect(numbers == Array(0..<types.count))
            #expect(deltas == outputText(plain))
            #expect(outputText(try #require(final)) == deltas)
        }
    }

    @Test func fieldsItCannotHonourAreRefused() async throws {
        let refused: [(String, String?)] = [
            (#"{"input": "x", "background": true}"#, "background"),
            (#"{"input": "x", "truncation": "auto"}"#, "truncation"),
            (#"{"input": "x", "include": ["reasoning.encrypted_content"]}"#, "include"),
            (#"{"input": "x", "reasoning": {"effort": "low"}}"#, "reasoning"),
            (#"{"input": "x", "top_logprobs": 3}"#, "top_logprobs"),
            (#"{"input": "x", "tools": [{"type": "web_search"}]}"#, "tools"),
            (#"{"input": [{"role": "user", "content": [{"type": "input_image", "image_url": "u"}]}]}"#, "input[0].content[0].type"),
            (#"{"input": [{"role": "robot", "content": "x"}]}"#, "input[0].role"),
            (#"{"input": []}"#, "input"),
            (#"{"input": "x", "text": {"format": {"type": "json_schema", "name": "n"}}}"#, "text.format.schema"),
            (#"{"input": "x", "stream": true, "tool_choice": "required", "tools": [{"type": "function", "name": "f", "parameters": {"type": "object"}}]}"#, "stream"),
            (#"{"instructions": "x"}"#, "input"),
            // Errors of the chat request it runs as name the Responses fields.
            (#"{"input": "x", "max_output_tokens": 0}"#, "max_output_tokens"),
            (#"{"input": [{"type": "reasoning", "summary": []}]}"#, "input"),
        ]
        try await ServerFixture.withServer { client in
            for (body, param) in refused {
                let response = try await ServerFixture.post(client, "/v1/responses", body)
                #expect(response.status == .badRequest, "\(body)")
                #expect((try object(response)["error"] as? [String: Any])?["param"] as? String == param, "\(body)")
            }
        }
    }

    @Test func callsMadeTogetherAreOneAssistantMessage() throws {
        let body = #"{"input": [{"role": "user", "content": "Weather?"}, {"type": "reasoning", "summary": []}, "#
            + #"{"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"}, "#
            + #"{"type": "function_call", "call_id": "c2", "name": "g", "arguments": "{\"a\":1}"}, "#
            + #"{"type": "function_call_output", "call_id": "c1", "output": "sunny"}]}"#
        let (request, object) = try RequestDecoding.decodeWithObject(ResponsesRequest.self, from: Data(body.utf8), endpoint: .responses)
        let converted = try ResponsesChatRequest(request, object: object, history: [])
        #expect(converted.conversation.map { $0["role"]?.stringValue } == ["user", "assistant", "tool"])
        let calls = try #require(converted.conversation[1]["tool_calls"]?.arrayValue)
        #expect(calls.map { $0["id"]?.stringValue } == ["c1", "c2"])
        #expect(calls[1]["function"]?["arguments"]?.stringValue == #"{"a":1}"#)
        #expect(converted.conversation[2]["tool_call_id"]?.stringValue == "c1")
    }

    @Test func theStoreKeepsTheNewestResponses() throws {
        let store = ResponseStore(capacity: 2)
        func entry(_ id: String) -> ResponseStore.Entry {
            .init(response: ResponseObject(id: id, createdAt: 0, status: "completed", instructions: .null, maxOutputTokens: .null,
                                           model: "m", parallelToolCalls: true, previousResponseId: .null, store: true, temperature: 1,
                                           text: .null, toolChoice: "auto", tools: [], topP: 1, user: .null, metadata: [:]),
                  conversation: [])
        }
        for id in ["a", "b", "a", "c"] { store.put(entry(id)) }
        // "a" stored again is the newest: "b" goes first.
        #expect(store.count == 2)
        #expect(store.get("b") == nil && store.get("a") != nil && store.get("c") != nil)
        let none = ResponseStore(capacity: 0)
        none.put(entry("x"))
        #expect(none.count == 0)
        // The byte bound: each conversation below is 37 bytes of JSON.
        let small = ResponseStore(capacity: 10, maxBytes: 80)
        for id in ["p", "q", "r"] {
            var item = entry(id)
            item.conversation = [.object(["role": "user", "content": "0123456"])]
            small.put(item)
        }
        #expect(small.count == 2 && small.get("p") == nil && small.get("r") != nil)
    }
}
}
