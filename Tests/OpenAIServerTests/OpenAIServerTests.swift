import Engine
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import OpenAIServer
import Testing

/// The server through real HTTP on an ephemeral port, against the engine on the default model.
extension ServerSuites {
@Suite struct OpenAIServerTests {
    let paris = #"{"model":"smollm2","prompt":"The capital of France is","max_tokens":4,"temperature":0"#
    let hello = #"{"model":"smollm2","messages":[{"role":"user","content":"Hi"}],"max_tokens":4,"temperature":0"#

    @Test func completionNonStreamed() async throws {
        try await ServerFixture.withServer { client in
            let response = try await ServerFixture.post(client, "/v1/completions", paris + "}")
            #expect(response.status == .ok)
            let object = try ServerFixture.json(response)
            #expect((object["id"] as? String)?.hasPrefix("cmpl-") == true)
            #expect(object["object"] as? String == "text_completion")
            #expect(object["model"] as? String == "smollm2")
            let choice = try #require((object["choices"] as? [[String: Any]])?.first)
            #expect(choice["text"] as? String == " Paris.\n\n")
            #expect(choice["index"] as? Int == 0)
            #expect(choice["finish_reason"] as? String == "length")
            let usage = try #require(object["usage"] as? [String: Any])
            #expect(usage["prompt_tokens"] as? Int == 5)
            #expect(usage["completion_tokens"] as? Int == 4)
            #expect(usage["total_tokens"] as? Int == 9)
        }
    }

    @Test func completionStreamedWithUsage() async throws {
        try await ServerFixture.withServer { client in
            let response = try await ServerFixture.post(client, "/v1/completions",
                paris + #","stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = ServerFixture.events(String(buffer: response.body))
            #expect(events.last == "[DONE]")
            var text = ""
            var usage: [String: Any]?
            for event in events.dropLast() {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any])
                let choices = try #require(object["choices"] as? [[String: Any]])
                for choice in choices { text += choice["text"] as? String ?? "" }
                if let value = object["usage"] as? [String: Any] { usage = value; #expect(choices.isEmpty) }
            }
            #expect(text == " Paris.\n\n")
            #expect(usage?["total_tokens"] as? Int == 9)
        }
    }

    @Test func chatCompletionNonStreamed() async throws {
        try await ServerFixture.withServer { client in
            let object = try ServerFixture.json(try await ServerFixture.post(client, "/v1/chat/completions", hello + "}"))
            #expect((object["id"] as? String)?.hasPrefix("chatcmpl-") == true)
            #expect(object["object"] as? String == "chat.completion")
            let choice = try #require((object["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            #expect(message["content"] as? String == "Hello! How can")
            #expect((object["usage"] as? [String: Any])?["prompt_tokens"] as? Int == 31)
        }
    }

    @Test func chatCompletionStreamed() async throws {
        try await ServerFixture.withServer { client in
            let response = try await ServerFixture.post(client, "/v1/chat/completions",
                hello + #","stream":true,"stream_options":{"include_usage":true}}"#)
            let events = ServerFixture.events(String(buffer: response.body))
            #expect(events.last == "[DONE]")
            let objects = try events.dropLast().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            let firstDelta = (objects.first?["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
            #expect(firstDelta?["role"] as? String == "assistant")
            #expect(objects.first?["object"] as? String == "chat.completion.chunk")
            let text = objects.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String }.joined()
            #expect(text == "Hello! How can")
            #expect((objects.last?["usage"] as? [String: Any])?["completion_tokens"] as? Int == 4)
        }
    }

    @Test func modelsHealthVersionTokenize() async throws {
        try await ServerFixture.withServer { client in
            let models = try ServerFixture.json(try await client.execute(uri: "/v1/models", method: .get))
            #expect((models["data"] as? [[String: Any]])?.first?["id"] as? String == "smollm2")
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            #expect(try ServerFixture.json(try await client.execute(uri: "/version", method: .get))["version"] as? String == OpenAIResponder.version)
            let tokens = try ServerFixture.json(try await ServerFixture.post(client, "/tokenize", #"{"prompt":"The capital of France is"}"#))
            #expect(tokens["count"] as? Int == 5)
            #expect(tokens["max_model_len"] as? Int == 128)
            let ids = try #require(tokens["tokens"] as? [Int])
            let idList = ids.map(String.init).joined(separator: ",")
            let text = try ServerFixture.json(try await ServerFixture.post(client, "/detokenize", "{\"tokens\":[\(idList)]}"))
            #expect(text["prompt"] as? String == "The capital of France is")
        }
    }

    /// /metrics serves vLLM's metric names after a request: the finished request is counted.
    @Test func metricsAfterACompletion() async throws {
        try await ServerFixture.withServer { client in
            #expect(try await ServerFixture.post(client, "/v1/completions", paris + "}").status == .ok)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == EngineMetrics.contentType)
            let text = String(decoding: Data(response.body.readableBytesView), as: UTF8.self)
            #expect(text.contains("# TYPE vllm:num_requests_running gauge"))
            #expect(text.contains("vllm:num_requests_running{model_name=\"smollm2\"} 0.0"))
            #expect(text.contains("vllm:request_success_total{finished_reason=\"length\",model_name=\"smollm2\"}"))
            #expect(text.contains("vllm:time_to_first_token_seconds_count{model_name=\"smollm2\"}"))
            #expect(text.contains("vllm:e2e_request_latency_seconds_bucket{le=\"+Inf\",model_name=\"smollm2\"}"))
            #expect(text.contains("vllm:kv_cache_usage_perc{model_name=\"smollm2\"}"))
        }
    }
}}
