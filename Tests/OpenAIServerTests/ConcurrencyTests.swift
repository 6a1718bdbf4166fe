import Engine
import Foundation
import HummingbirdTesting
import OpenAIServer
import Testing

/// Many streams at once, and clients that go away mid-stream. Waits are condition-based with
/// generous limits: the machine is shared and may be loaded.
extension ServerSuites {
@Suite struct ConcurrencyTests {
    static let paris = #"{"prompt":"The capital of France is","max_tokens":4,"temperature":0,"stream":true}"#

    @Test func sixtyFourConcurrentStreams() async throws {
        try await ServerFixture.withServer(maxWaitingRequests: 256) { client in
            let port = try #require(client.port)
            let responses = await withTaskGroup(of: String.self) { group in
                for _ in 0..<64 { group.addTask { await RawHTTP.post(port: port, path: "/v1/completions", body: Self.paris) } }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(responses.count == 64)
            for response in responses {
                #expect(response.hasPrefix("HTTP/1.1 200"))
                #expect(RawHTTP.streamedText(response) == " Paris.\n\n")
                #expect(response.contains("\"finish_reason\":\"length\""))
                #expect(RawHTTP.body(of: response).hasSuffix("data: [DONE]\n\n"))
            }
        }
    }

    /// 200 clients drop their streams (after part of the response, or right after sending); every
    /// request is aborted, the engine ends idle with every KV block free and no request left in the
    /// metrics, and the next request is served normally.
    @Test func disconnectsAbortRequests() async throws {
        let engine = try ServerFixture.loaded.get().engine
        let tokensBefore = engine.stats.numGenerationTokens
        try await ServerFixture.withServing(maxWaitingRequests: 1024) { client, context in
            let port = try #require(client.port)
            let body = #"{"prompt":"Once upon a time","max_tokens":100,"ignore_eos":true,"stream":true}"#
            await withTaskGroup(of: String.self) { group in
                for index in 0..<200 {
                    group.addTask { await RawHTTP.post(port: port, path: "/v1/completions", body: body, closeAfter: index % 2 == 0 ? 400 : 0) }
                }
                for await _ in group {}
            }
            #expect(await ServerFixture.eventually(within: 120) {
                let stats = engine.stats
                return stats.numRunning == 0 && stats.numWaiting == 0 && engine.isIdle
            })
            #expect(engine.stats.kvCacheUsage == 0)
            #expect(await ServerFixture.eventually(within: 30) { context.metrics.numTrackedRequests == 0 })
            let numGenerated = engine.stats.numGenerationTokens - tokensBefore
            #expect(numGenerated < 200 * 5, "\(numGenerated) tokens for 200 dropped streams")
            let response = try await ServerFixture.post(client, "/v1/completions",
                #"{"prompt":"The capital of France is","max_tokens":4,"temperature":0}"#)
            #expect(try ServerFixture.json(response)["choices"].flatMap { ($0 as? [[String: Any]])?.first?["text"] as? String } == " Paris.\n\n")
            #expect(await ServerFixture.eventually { engine.isIdle })
        }
    }
}
}
