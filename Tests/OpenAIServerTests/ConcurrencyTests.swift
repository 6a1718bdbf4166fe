import Foundation
import HummingbirdTesting
import OpenAIServer
import Testing

/// Many streams at once, and clients that go away mid-stream.
extension ServerSuites {
@Suite struct ConcurrencyTests {
    @Test func sixteenConcurrentStreams() async throws {
        try await ServerFixture.withServer { client in
            let port = try #require(client.port)
            let body = #"{"prompt":"The capital of France is","max_tokens":4,"temperature":0,"stream":true}"#
            let responses = await withTaskGroup(of: String.self) { group in
                for _ in 0..<16 { group.addTask { await RawHTTP.post(port: port, path: "/v1/completions", body: body) } }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(responses.count == 16)
            for response in responses {
                #expect(response.hasPrefix("HTTP/1.1 200"))
                #expect(response.contains(#""text":" Paris""#))
                #expect(response.contains("\"finish_reason\":\"length\""))
                #expect(response.contains("data: [DONE]\n\n"))
            }
        }
    }

    @Test func disconnectsAbortRequests() async throws {
        let engine = try ServerFixture.loaded.get().engine
        let tokensBefore = engine.stats.numGenerationTokens
        try await ServerFixture.withServer { client in
            let port = try #require(client.port)
            let body = #"{"prompt":"Once upon a time","max_tokens":100,"ignore_eos":true,"stream":true}"#
            await withTaskGroup(of: String.self) { group in
                for _ in 0..<3 { group.addTask { await RawHTTP.post(port: port, path: "/v1/completions", body: body, closeAfter: 400) } }
                for await _ in group {}
            }
            var idle = false
            for _ in 0..<100 {
                let stats = engine.stats
                if stats.numRunning == 0 && stats.numWaiting == 0 { idle = true; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(idle)
            #expect(engine.stats.numGenerationTokens - tokensBefore < 3 * 100)
            let response = try await ServerFixture.post(client, "/v1/completions",
                #"{"prompt":"The capital of France is","max_tokens":4,"temperature":0}"#)
            #expect(try ServerFixture.json(response)["choices"].flatMap { ($0 as? [[String: Any]])?.first?["text"] as? String } == " Paris.\n\n")
        }
    }
}
}
