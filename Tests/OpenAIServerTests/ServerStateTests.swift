import Engine
import Foundation
import HummingbirdTesting
import OpenAIServer
import Testing

extension ServerSuites {
    /// The queue-time histogram and the drain state, through real HTTP.
    @Suite struct ServerStateTests {
        /// The value of the series `name{model_name="smollm2"}` in a Prometheus text.
        func value(_ name: String, in text: String) -> Double? {
            let prefix = "\(name){model_name=\"smollm2\"} "
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
            return Double(line.dropFirst(prefix.count))
        }

        @Test func queueTimeIsRecordedOncePerRequest() async throws {
            try await ServerFixture.withServing { client, context in
                let response = try await ServerFixture.post(client, "/v1/completions",
                    #"{"prompt":"The capital of France is","max_tokens":2,"temperature":0}"#)
                #expect(response.status == .ok)
                let text = context.metrics.render()
                #expect(value("vllm:request_queue_time_seconds_count", in: text) == 1)
                let queue = try #require(value("vllm:request_queue_time_seconds_sum", in: text))
                let e2e = try #require(value("vllm:e2e_request_latency_seconds_sum", in: text))
                #expect(queue >= 0)
                #expect(queue <= e2e)
                #expect(value("vllm:e2e_request_latency_seconds_count", in: text) == 1)
            }
        }

        @Test func parallelSamplingCountsOneQueueTime() async throws {
            try await ServerFixture.withServing { client, context in
                let response = try await ServerFixture.post(client, "/v1/completions",
                    #"{"prompt":"The capital of France is","max_tokens":2,"n":3,"temperature":0.5}"#)
                #expect(response.status == .ok)
                #expect(value("vllm:request_queue_time_seconds_count", in: context.metrics.render()) == 1)
            }
        }

        @Test func drainingRefusesNewRequests() async throws {
            try await ServerFixture.withServing { client, context in
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
                context.drain.beginDraining()
                let response = try await ServerFixture.post(client, "/v1/completions", #"{"prompt":"x","max_tokens":1}"#)
                #expect(response.status == .serviceUnavailable)
                let error = try #require(try ServerFixture.json(response)["error"] as? [String: Any])
                #expect(error["type"] as? String == "ServiceUnavailableError")
                #expect(error["code"] as? Int == 503)
                #expect((error["message"] as? String)?.contains("shutting down") == true)
            }
        }
    }
}
