import Engine
import Foundation
import Testing
@testable import OpenAIServer

/// Every response body and streamed chunk, byte for byte against vLLM 0.34's serialization of the
/// same values (Fixtures/vllm_response_shapes.json, written by scripts/fixtures/vllm_response_shapes.py:
/// vLLM's response classes serialized as its serving code does): key order, and which fields are
/// null and which are left out.
@Suite struct ResponseShapeTests {
    struct Fixture: Decodable { var cases: [String: String] }
    static let fixture: [String: String] = {
        guard let url = Bundle.module.url(forResource: "Fixtures/vllm_response_shapes", withExtension: "json"),
              let data = try? Data(contentsOf: url), let fixture = try? JSONDecoder().decode(Fixture.self, from: data) else { return [:] }
        return fixture.cases
    }()
    static let texts = [5: "Hi", 6: "Hey", 7: " wörld", 8: "\n"]
    static let tokenText: @Sendable (Int) -> String = { texts[$0] ?? "?" }

    private func expect(_ bytes: [UInt8], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Self.fixture[name]
        #expect(expected != nil, "no fixture case \(name)", sourceLocation: sourceLocation)
        #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(name)", sourceLocation: sourceLocation)
    }

    /// One completion's output after a step: `tokens` so far, the last `numNew` of them new.
    private func output(prompt: [Int] = [1, 2, 3, 4, 5], index: Int = 0, n: Int = 1, tokens: [Int], numNew: Int, delta: String,
                        finish: FinishReason? = nil, stop: StopReason? = nil, logprobs: [TokenLogprobs]? = nil) -> RequestOutput {
        var output = RequestOutput(requestID: "r", promptTokenIDs: prompt, n: n)
        var completion = CompletionOutput(index: index)
        completion.tokenIDs = tokens
        completion.deltaTokenIDs = Array(tokens.suffix(numNew))
        completion.deltaText = delta
        completion.text = tokens.map { Self.texts[$0] ?? "" }.joined()
        completion.finishReason = finish
        completion.stopReason = stop
        completion.logprobs = logprobs
        output.outputs[index] = completion
        return output
    }

    private func logprob(_ id: Int, _ value: Float, rank: Int = 1, top: [(Int, Float)]) -> TokenLogprobs {
        TokenLogprobs(chosen: TokenLogprob(tokenID: id, logprob: value), rank: rank,
                      top: top.map { TokenLogprob(tokenID: $0.0, logprob: $0.1) })
    }

    @Test func chatStreamChunks() {
        let stream = ChatStreamChunks(id: "chatcmpl-test", created: 1_700_000_000, model: "smollm2", n: 2, includeUsage: true,
                                      tokenText: Self.tokenText)
        expect(stream.roleChunks()[1], "chat_role")
        expect(stream.chunks(for: output(tokens: [5], numNew: 1, delta: "Héllo \"/</x>\\ 😀\t"))[0], "chat_content")
        expect(stream.chunks(for: output(tokens: [5], numNew: 1, delta: "Hi",
                                         logprobs: [logprob(5, -0.5, top: [(5, -0.5), (6, -1.25)])]))[0], "chat_content_logprobs")
        expect(stream.chunks(for: output(tokens: [5, 6], numNew: 1, delta: "", finish: .length))[0], "chat_final_length")
        expect(stream.chunks(for: output(tokens: [5, 7, 2], numNew: 2, delta: " wörld", finish: .stop, stop: .tokenID(2)))[0],
               "chat_final_stop_token")
        expect(stream.chunks(for: output(tokens: [5, 8, 8], numNew: 3, delta: "Hi", finish: .stop, stop: .text("\n\n")))[0],
               "chat_final_stop_string")
        // Held-back text (no delta, not finished) sends nothing.
        #expect(stream.chunks(for: output(tokens: [5, 8], numNew: 1, delta: "")).isEmpty)
        expect(stream.trailer([output(tokens: [5, 6, 7], numNew: 1, delta: "")])[0], "chat_usage")
        #expect(ChatStreamChunks(id: "x", created: 0, model: "m", n: 1, includeUsage: false, tokenText: Self.tokenText)
            .trailer([output(tokens: [5], numNew: 1, delta: "")]).isEmpty)
    }

    /// `stream_options: {include_usage, continuous_usage_stats}`: each chunk carries its choice's
    /// usage so far, written as vLLM writes it (chat: `completion_tokens_details` set to None, so
    /// null; completions: only the three counts).
    @Test func continuousUsage() {
        var chat = ChatStreamChunks(id: "c", created: 0, model: "m", n: 1, includeUsage: true, tokenText: Self.tokenText)
        chat.continuousUsagePromptTokens = 5
        #expect(String(decoding: chat.roleChunks()[0], as: UTF8.self)
                == #"data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":{"prompt_tokens":5,"total_tokens":5,"completion_tokens":0,"completion_tokens_details":null},"prompt_token_ids":null,"prompt_text":null}"# + "\n\n")
        #expect(String(decoding: chat.chunks(for: output(tokens: [5, 6], numNew: 1, delta: "Hey"))[0], as: UTF8.self)
                == #"data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"m","choices":[{"index":0,"delta":{"content":"Hey"},"logprobs":null,"finish_reason":null,"token_ids":null}],"usage":{"prompt_tokens":5,"total_tokens":7,"completion_tokens":2,"completion_tokens_details":null},"kv_transfer_params":null}"# + "\n\n")
        var completions = CompletionStreamChunks(id: "cmpl", created: 0, model: "m", n: 1, includeUsage: true, echoTexts: [],
                                                 tokenText: Self.tokenText)
        completions.continuousUsage = true
        #expect(String(decoding: completions.chunks(promptIndex: 0, output: output(tokens: [5, 6], numNew: 1, delta: "Hey"))[0], as: UTF8.self)
            .contains(#""usage":{"prompt_tokens":5,"total_tokens":7,"completion_tokens":2},"kv_transfer_params":null}"#))
    }

    @Test func chatResponses() {
        let plain = output(tokens: [5, 7, 2], numNew: 3, delta: "", finish: .stop, stop: .tokenID(2))
        var withText = plain
        withText.outputs[0].text = "Hi wörld"
        expect(ResponseJSON.bytes(ChatCompletionResponse(id: "chatcmpl-test", created: 1_700_000_000, model: "smollm2",
                                                         output: withText, tokenText: Self.tokenText)), "chat_response")
        var logprobs = output(tokens: [5, 8], numNew: 2, delta: "", finish: .length,
                              logprobs: [logprob(5, -0.5, top: [(5, -0.5), (6, -1.25)]), logprob(8, -2.0, rank: 2, top: [(7, -0.25), (8, -2.0)])])
        logprobs.promptLogprobs = [nil, logprob(5, -0.75, rank: 2, top: [(6, -0.5)]), logprob(7, -1.5, top: [(7, -1.5)])]
        logprobs.outputs[0].text = "Hi\n"
        expect(ResponseJSON.bytes(ChatCompletionResponse(id: "chatcmpl-test", created: 1_700_000_000, model: "smollm2",
                                                         output: logprobs, tokenText: Self.tokenText)), "chat_response_logprobs")
    }

    @Test func completionStreamChunks() {
        let stream = CompletionStreamChunks(id: "cmpl-test", created: 1_700_000_000, model: "smollm2", n: 2, includeUsage: true,
                                            echoTexts: [], tokenText: Self.tokenText)
        expect(stream.chunks(promptIndex: 1, output: output(index: 1, n: 2, tokens: [5, 7], numNew: 1, delta: " wörld"))[0],
               "completion_chunk")
        expect(stream.chunks(promptIndex: 0, output: output(index: 1, n: 2, tokens: [5, 8, 8], numNew: 2, delta: "",
                                                            finish: .stop, stop: .text("\n\n")))[0], "completion_chunk_final")
        let echo = CompletionStreamChunks(id: "cmpl-test", created: 1_700_000_000, model: "smollm2", n: 1, includeUsage: false,
                                          echoTexts: ["One two ", "Three "], tokenText: Self.tokenText)
        let first = output(prompt: [1, 2, 3], tokens: [5], numNew: 1, delta: "Hi")
        expect(echo.chunks(promptIndex: 0, output: first)[0], "completion_chunk_echo")
        // With n = 2, a sibling that has no token yet is not echoed (it will be with its first token).
        let echo2 = CompletionStreamChunks(id: "cmpl-test", created: 1_700_000_000, model: "smollm2", n: 2, includeUsage: false,
                                           echoTexts: ["One two "], tokenText: Self.tokenText)
        let siblings = echo2.chunks(promptIndex: 0, output: output(prompt: [1, 2, 3], n: 2, tokens: [5], numNew: 1, delta: "Hi"))
        #expect(siblings.count == 1 && String(decoding: siblings[0], as: UTF8.self).contains(#""index":0,"text":"One two Hi""#))
        // Later outputs of the same completion are not echoed again.
        #expect(!String(decoding: echo.chunks(promptIndex: 0, output: output(prompt: [1, 2, 3], tokens: [5, 6], numNew: 1, delta: "Hey"))[0],
                        as: UTF8.self).contains("One two"))
        let plain = CompletionStreamChunks(id: "cmpl-test", created: 1_700_000_000, model: "smollm2", n: 1, includeUsage: true,
                                           echoTexts: [], tokenText: Self.tokenText)
        expect(plain.chunks(promptIndex: 0, output: output(tokens: [5, 6], numNew: 1, delta: "Hey",
                                                           logprobs: [logprob(5, -0.5, top: [(5, -0.5)]), logprob(6, -1.25, top: [(5, -0.5), (6, -1.25)])]))[0],
               "completion_chunk_logprobs")
        expect(plain.trailer([output(prompt: [1, 2, 3, 4], tokens: [5, 6, 7, 8, 5, 6], numNew: 1, delta: "")])[0], "completion_usage")
    }

    @Test func completionResponse() {
        var first = output(prompt: [1, 6, 3, 4], n: 2, tokens: [5, 7], numNew: 2, delta: "", finish: .length,
                           logprobs: [logprob(5, -0.5, top: [(5, -0.5)]), logprob(7, -3.0, top: [(7, -3.0)])])
        first.outputs[1].finishReason = .stop
        first.outputs[1].stopReason = .tokenID(2)
        first.promptLogprobs = [nil, logprob(6, -0.5, top: [(6, -0.5)])]
        expect(ResponseJSON.bytes(CompletionResponse(id: "cmpl-test", created: 1_700_000_000, model: "smollm2", outputs: [first],
                                                     n: 2, promptTexts: nil, tokenText: Self.tokenText)), "completion_response")
    }

    @Test func otherEndpoints() {
        expect(APIError(status: 400, message: "bad \"x\"", param: "max_tokens").body, "error")
        expect(APIError(status: 404, message: "Not Found: /x").body, "error_no_param")
        expect(ResponseJSON.bytes(ModelList(data: [ModelCard(id: "smollm2", created: 1_700_000_000, root: .some("smollm2"),
                                                             maxModelLen: .some(2048),
                                                             permission: [ModelPermission(id: "modelperm-0", created: 1_700_000_000)])])),
               "models")
        expect(ResponseJSON.bytes(TokenizeResponse(count: 2, maxModelLen: 2048, tokens: [5, 6])), "tokenize")
        expect(ResponseJSON.bytes(DetokenizeResponse(prompt: "Hi wörld")), "detokenize")
    }

    /// A token the sampler masked out has logprob -inf: JSON cannot spell it, so it is floored at -9999.0 as vLLM does.
    @Test func infiniteLogprobsAreFloored() throws {
        let stream = ChatStreamChunks(id: "c", created: 0, model: "m", n: 1, includeUsage: false, tokenText: Self.tokenText)
        let event = String(decoding: stream.chunks(for: output(tokens: [5], numNew: 1, delta: "Hi",
                                                                logprobs: [logprob(5, -.infinity, top: [(5, -.infinity)])]))[0], as: UTF8.self)
        #expect(event.contains(#""logprob":-9999.0,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-9999.0"#))
    }
}
