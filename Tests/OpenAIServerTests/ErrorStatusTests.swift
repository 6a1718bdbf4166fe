import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OpenAIServer
import Testing

/// Each error status with OpenAI's error body.
extension ServerSuites {
@Suite struct ErrorStatusTests {
    func expectError(_ response: TestResponse, _ status: Int, _ type: String, mentioning words: [String] = [],
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status.code == status, sourceLocation: sourceLocation)
        let error = try #require(try ServerFixture.json(response)["error"] as? [String: Any], sourceLocation: sourceLocation)
        #expect(error["type"] as? String == type, sourceLocation: sourceLocation)
        #expect(error["code"] as? Int == status, sourceLocation: sourceLocation)
        let message = error["message"] as? String ?? ""
        for word in words { #expect(message.contains(word), "\(message)", sourceLocation: sourceLocation) }
    }

    @Test func badRequests() async throws {
        try await ServerFixture.withServer { client in
            try expectError(try await ServerFixture.post(client, "/v1/completions", "{not json"), 400, "BadRequestError", mentioning: ["JSON"])
            try expectError(try await ServerFixture.post(client, "/v1/completions", "{}"), 400, "BadRequestError", mentioning: ["prompt"])
            try expectError(try await ServerFixture.post(client, "/v1/completions", #"{"prompt":"x","max_tokens":"3"}"#), 400, "BadRequestError", mentioning: ["'max_tokens'"])
            try expectError(try await ServerFixture.post(client, "/v1/completions", #"{"prompt":"x","temperature":-1}"#), 400, "BadRequestError", mentioning: ["temperature"])
            try expectError(try await ServerFixture.post(client, "/v1/completions", #"{"prompt":"The capital of France is","max_tokens":200}"#),
                            400, "BadRequestError", mentioning: ["max_tokens=200", "max_model_len=128"])
            try expectError(try await ServerFixture.post(client, "/v1/chat/completions", #"{"messages":[{"role":"robot","content":"x"}]}"#), 400, "BadRequestError", mentioning: ["role"])
            try expectError(try await ServerFixture.post(client, "/v1/completions", "[1,2]"), 400, "BadRequestError")
        }
    }

    @Test func notFoundAndMethod() async throws {
        try await ServerFixture.withServer { client in
            try expectError(try await ServerFixture.post(client, "/v1/completions", #"{"model":"gpt-4","prompt":"x"}"#), 404, "NotFoundError", mentioning: ["gpt-4"])
            try expectError(try await client.execute(uri: "/v1/nothing", method: .get), 404, "NotFoundError")
            try expectError(try await client.execute(uri: "/v1/completions", method: .get), 405, "MethodNotAllowed")
        }
    }

    @Test func apiKey() async throws {
        try await ServerFixture.withServer(apiKey: "sekret") { client in
            try expectError(try await client.execute(uri: "/v1/models", method: .get), 401, "Unauthorized")
            try expectError(try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer wrong"]), 401, "Unauthorized")
            #expect(try await client.execute(uri: "/v1/models", method: .get, headers: [.authorization: "Bearer sekret"]).status == .ok)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func bodyTooLargeAndOverloaded() async throws {
        try await ServerFixture.withServer(maxRequestBodySize: 64) { client in
            let long = String(repeating: "a", count: 200)
            try expectError(try await ServerFixture.post(client, "/v1/completions", "{\"prompt\":\"\(long)\"}"), 413, "RequestEntityTooLarge", mentioning: ["64"])
        }
        try await ServerFixture.withServer(maxWaitingRequests: 0) { client in
            try expectError(try await ServerFixture.post(client, "/v1/completions", #"{"prompt":"x"}"#), 503, "ServiceUnavailableError")
        }
    }
}
}

extension ServerSuites {
    /// Odd bodies get a 400 with an error body, never a crash.
    @Suite struct OddBodyTests {
        @Test func oddBodiesAreRefused() async throws {
            let bodies = [
                "", "null", "\"text\"", "[]", "{\"prompt\":null}", "{\"prompt\":[]}", "{\"prompt\":[[]]}",
                "{\"prompt\":[1.5]}", "{\"prompt\":[-1]}", "{\"prompt\":\"x\",\"max_tokens\":9223372036854775807}",
                "{\"prompt\":\"x\",\"max_tokens\":1e400}", "{\"prompt\":\"x\",\"n\":-2}", "{\"prompt\":\"x\",\"logprobs\":100000}",
                "{\"prompt\":\"x\",\"logit_bias\":{\"abc\":1}}", "{\"prompt\":\"x\",\"stop\":[1]}", "{\"prompt\":\"x\",\"top_p\":7}",
                "{\"prompt\":\"x\",\"truncate_prompt_tokens\":-3}", "{\"prompt\":[[99999999]]}",
                String(repeating: "[", count: 5000),
            ]
            try await ServerFixture.withServer { client in
                for body in bodies {
                    let response = try await ServerFixture.post(client, "/v1/completions", body)
                    #expect(response.status == .badRequest, "\(body.prefix(80))")
                    let error = try ServerFixture.json(response)["error"] as? [String: Any]
                    #expect(error?["type"] as? String == "BadRequestError", "\(body.prefix(80))")
                }
                let chat = ["{\"messages\":[]}", "{\"messages\":[{\"content\":\"x\"}]}", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]}",
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"add_generation_prompt\":true,\"continue_final_message\":true}"]
                for body in chat {
                    let response = try await ServerFixture.post(client, "/v1/chat/completions", body)
                    #expect(response.status == .badRequest, "\(body)")
                }
            }
        }
    }
}
