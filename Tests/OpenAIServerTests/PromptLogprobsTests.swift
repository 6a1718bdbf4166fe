import Foundation
import HummingbirdTesting
import OpenAIServer
import Testing

extension ServerSuites {
    /// `prompt_logprobs` over HTTP, in vLLM's shape.
    @Suite struct PromptLogprobsTests {
        /// "The capital of France is" with the SmolLM2 tokenizer.
        static let promptIDs = [504, 3575, 282, 4649, 314]
        static let promptTokens = ["The", " capital", " of", " France", " is"]

        /// Checks one position: the prompt token's entry with its rank, and `k` top entries ranked 1...k.
        func checkPosition(_ value: Any, token: Int, text: String, k: Int,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
            let entries = try #require(value as? [String: [String: Any]], sourceLocation: sourceLocation)
            let chosen = try #require(entries[String(token)], sourceLocation: sourceLocation)
            #expect(chosen["decoded_token"] as? String == text, sourceLocation: sourceLocation)
            let rank = try #require(chosen["rank"] as? Int, sourceLocation: sourceLocation)
            #expect(rank >= 1, sourceLocation: sourceLocation)
            let logprob = try #require(chosen["logprob"] as? Double, sourceLocation: sourceLocation)
            #expect(logprob <= 0, sourceLocation: sourceLocation)
            let ranks = entries.values.compactMap { $0["rank"] as? Int }.sorted()
            #expect(entries.count == (rank <= k ? k : k + 1), sourceLocation: sourceLocation)
            #expect(Array(ranks.prefix(k)) == Array(1...k), sourceLocation: sourceLocation)
        }

        @Test func completionsPromptLogprobs() async throws {
            try await ServerFixture.withServer { client in
                let body = #"{"prompt":"The capital of France is","max_tokens":1,"temperature":0,"prompt_logprobs":1}"#
                let object = try ServerFixture.json(try await ServerFixture.post(client, "/v1/completions", body))
                let choice = try #require((object["choices"] as? [[String: Any]])?.first)
                let list = try #require(choice["prompt_logprobs"] as? [Any])
                #expect(list.count == 5)
                #expect(list.first is NSNull)
                for position in 1..<5 {
                    try checkPosition(list[position], token: Self.promptIDs[position], text: Self.promptTokens[position], k: 1)
                }
                // The model's own picks: "-" (29) after "The", " of" after " capital", " the" (260) before
                // " France" (rank 2), " is" after " France".
                let entries = try list.dropFirst().map { try #require($0 as? [String: [String: Any]]) }
                #expect(entries.map { Set($0.keys) } == [["29", "3575"], ["282"], ["260", "4649"], ["314"]])
                #expect(entries[0]["29"]?["rank"] as? Int == 1)
                #expect(entries[0]["29"]?["decoded_token"] as? String == "-")
                #expect((entries[0]["3575"]?["rank"] as? Int ?? 0) > 1)
                #expect(entries[2]["4649"]?["rank"] as? Int == 2)
                #expect(entries[2]["260"]?["decoded_token"] as? String == " the")
                #expect((object["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 5)
                // Without the field: null.
                let plain = try ServerFixture.json(try await ServerFixture.post(client, "/v1/completions",
                    #"{"prompt":"The capital of France is","max_tokens":1,"temperature":0}"#))
                #expect((plain["choices"] as? [[String: Any]])?.first?["prompt_logprobs"] is NSNull)
            }
        }

        @Test func topTwoPerPosition() async throws {
            try await ServerFixture.withServer { client in
                let body = #"{"prompt":"The capital of France is","max_tokens":1,"temperature":0,"prompt_logprobs":2}"#
                let object = try ServerFixture.json(try await ServerFixture.post(client, "/v1/completions", body))
                let list = try #require((object["choices"] as? [[String: Any]])?.first?["prompt_logprobs"] as? [Any])
                #expect(list.count == 5)
                for position in 1..<5 {
                    try checkPosition(list[position], token: Self.promptIDs[position], text: Self.promptTokens[position], k: 2)
                }
            }
        }

        @Test func chatPromptLogprobs() async throws {
            try await ServerFixture.withServer { client in
                let body = #"{"messages":[{"role":"user","content":"Hi"}],"max_tokens":1,"temperature":0,"prompt_logprobs":0}"#
                let object = try ServerFixture.json(try await ServerFixture.post(client, "/v1/chat/completions", body))
                let list = try #require(object["prompt_logprobs"] as? [Any])
                #expect(list.count == 31)
                #expect(list.first is NSNull)
                // k = 0: only the prompt token itself, with its rank.
                for entry in list.dropFirst() {
                    let entries = try #require(entry as? [String: [String: Any]])
                    #expect(entries.count == 1)
                    #expect(((entries.values.first?["rank"]) as? Int ?? 0) >= 1)
                }
            }
        }

        @Test func streamsRefusePromptLogprobs() async throws {
            try await ServerFixture.withServer { client in
                let response = try await ServerFixture.post(client, "/v1/completions",
                    #"{"prompt":"x","max_tokens":1,"stream":true,"prompt_logprobs":1}"#)
                #expect(response.status == .badRequest)
                let error = try #require(try ServerFixture.json(response)["error"] as? [String: Any])
                #expect(error["param"] as? String == "prompt_logprobs")
            }
        }
    }
}
