import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import OpenAIServer
import Testing

/// A mixture-of-experts model served end to end: the random-weight Qwen2-MoE GGUF of the model tests
/// (8 experts, 4 per token, a shared expert; Tests/ModelsTests/Fixtures/random) behind the OpenAI API.
@Suite struct MoEServingTests {
    static let modelPath = ServerFixture.repoRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/random/qwen2moe-tiny.gguf").path
    static let referencePath = ServerFixture.repoRoot.appendingPathComponent("Tests/ModelsTests/Fixtures/reference/random-qwen2moe-f64.json")

    struct Reference: Decodable {
        struct Greedy: Decodable {
            struct Step: Decodable { let gap: Double }
            let prompt_token_ids: [Int]
            let continuation_ids: [Int]
            let steps: [Step]
        }
        let greedy: [Greedy]
    }

    struct CompletionResponse: Decodable {
        struct Choice: Decodable { let text: String; let index: Int }
        let choices: [Choice]
    }

    /// The reference's greedy prompts sent together as one request each (their decode steps share
    /// batches and experts), greedy text equal to the reference continuation up to its first
    /// near-tie, and a chat request through the file's own template.
    @Test func servesTheReferenceGreedyContinuationsConcurrently() async throws {
        var config = EngineConfig(maxModelLen: 128, maxNumSeqs: 8, maxNumBatchedTokens: 64, kvCacheMemoryBytes: 4 << 20)
        config.enablePrefixCaching = true
        let core = try EngineCore.load(path: Self.modelPath, config: config)
        let engine = try AsyncEngine(core: core)
        engine.start()
        let template = try ModelFiles.open(Self.modelPath).chatTemplate()
        let context = try ServingContext(engine: engine, core: core, chatTemplate: template,
                                         options: ServerOptions(servedModelName: "moe"))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: Self.referencePath))
        let tokenizer = try #require(core.tokenizer)
        let app = try OpenAIServer.application(context: context, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (index, greedy) in reference.greedy.enumerated() {
                    group.addTask {
                        let body = #"{"model":"moe","prompt":\#(greedy.prompt_token_ids),"max_tokens":32,"temperature":0,"ignore_eos":true}"#
                        let response = try await ServerFixture.post(client, "/v1/completions", body)
                        #expect(response.status == .ok)
                        let decoded = try JSONDecoder().decode(CompletionResponse.self, from: Data(response.body.readableBytesView))
                        return (index, decoded.choices.first?.text ?? "")
                    }
                }
                var texts = [String](repeating: "", count: reference.greedy.count)
                for try await (index, text) in group { texts[index] = text }
                return texts
            }
            for (greedy, text) in zip(reference.greedy, texts) {
                let decisive = greedy.steps.firstIndex { $0.gap < 0.05 } ?? greedy.steps.count
                let expected = try tokenizer.decode(Array(greedy.continuation_ids.prefix(decisive)))
                #expect(decisive >= 8 && text.hasPrefix(expected), "\(text.debugDescription) vs \(expected.debugDescription)")
            }
            let chat = try await ServerFixture.post(client, "/v1/chat/completions",
                                                    #"{"model":"moe","messages":[{"role":"user","content":"Hi"}],"max_tokens":5,"temperature":0,"ignore_eos":true}"#)
            #expect(chat.status == .ok)
            let usage = try #require(try ServerFixture.json(chat)["usage"] as? [String: Any])
            #expect(usage["completion_tokens"] as? Int == 5)
        }
        engine.shutdown()
    }
}
