import Foundation
import HummingbirdTesting
import OpenAIServer
import Testing

extension ServerSuites {
    /// Request fields reaching the engine and shaping the response: prompt lists, token prompts, echo,
    /// stop, logprobs, n.
    @Suite struct RequestOptionTests {
        @Test func completionPromptsEchoStopLogprobs() async throws {
            try await ServerFixture.withServer { client in
                let tokens = try ServerFixture.json(try await ServerFixture.post(client, "/tokenize", #"{"prompt":"The capital of France is"}"#))
                let ids = try #require(tokens["tokens"] as? [Int]).map(String.init).joined(separator: ",")
                let body = "{\"prompt\":[[\(ids)],[\(ids)]],\"max_tokens\":4,\"temperature\":0,\"echo\":true,\"logprobs\":2,\"stop\":\".\"}"
                let object = try ServerFixture.json(try await ServerFixture.post(client, "/v1/completions", body))
                let choices = try #require(object["choices"] as? [[String: Any]])
                #expect(choices.map { $0["index"] as? Int } == [0, 1])
                for choice in choices {
                    #expect(choice["text"] as? String == "The capital of France is Paris")
                    #expect(choice["finish_reason"] as? String == "stop")
                    #expect(choice["stop_reason"] as? String == ".")
                    let logprobs = try #require(choice["logprobs"] as? [String: Any])
                    #expect(logprobs["tokens"] as? [String] == [" Paris", "."])
                    #expect(logprobs["text_offset"] as? [Int] == [0, 6])
                    let first = try #require((logprobs["token_logprobs"] as? [Double])?.first)
                    let top = try #require((logprobs["top_logprobs"] as? [[String: Double]])?.first)
                    #expect(top.count == 2)
                    #expect(top[" Paris"] == first)
                    #expect(first < 0)
                }
                #expect((object["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 10)
            }
        }

        @Test func chatParallelSamplingLogprobs() async throws {
            try await ServerFixture.withServer { client in
                let body = #"{"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}],"max_completion_tokens":4,"temperature":0.0001,"seed":3,"n":2,"logprobs":true,"top_logprobs":1}"#
                let object = try ServerFixture.json(try await ServerFixture.post(client, "/v1/chat/completions", body))
                let choices = try #require(object["choices"] as? [[String: Any]])
                #expect(choices.count == 2)
                for choice in choices {
                    #expect((choice["message"] as? [String: Any])?["content"] as? String == "Hello! How can")
                    let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
                    #expect(content.map { $0["token"] as? String } == ["Hello", "!", " How", " can"])
                    #expect(content.allSatisfy { ($0["top_logprobs"] as? [Any])?.count == 1 })
                }
                #expect((object["usage"] as? [String: Any])?["completion_tokens"] as? Int == 8)
            }
        }
    }
}
