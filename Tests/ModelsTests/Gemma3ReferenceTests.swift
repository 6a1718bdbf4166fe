import Foundation
import Kernels
import ModelFormats
import Models
import Testing

/// Gemma 3 270M (Q4_K_M GGUF, `scripts/fetch-model gemma3`) against the float64 NumPy reference of
/// scripts/reference/forward_gemma3.py (Fixtures/reference/gemma3-270m-q4_k_m-f64.json, made by
/// make_reference_gemma3.py): 1,714 positions of the reference prompts in Gemma's chat form, one of
/// them a 720-token sequence so positions past the 512-token sliding window are compared, and 10
/// greedy continuations.
@Suite(.serialized) struct Gemma3ReferenceTests {
    static let blockSize = 16
    static let file = "gemma-3-270m-q4_k_m.gguf"

    static func load() throws -> (ModelWeights, ReferenceFixture) {
        let path = try RealModel.path(file, fetch: "scripts/fetch-model gemma3")
        return (try ModelWeights(gguf: GGUFFile(path: path)), try ReferenceFixture.load("gemma3-270m-q4_k_m-f64.json"))
    }

    @Test func configFromTheGGUFHasGemmasLayout() throws {
        let path = try RealModel.path(Self.file, fetch: "scripts/fetch-model gemma3")
        let c = try ModelWeights(gguf: GGUFFile(path: path)).config
        #expect(c.architecture == .gemma3)
        #expect(c.hiddenActivation == .geluTanh && c.postNorms && c.qkNorm && c.tieWordEmbeddings)
        #expect(c.gemma == ModelConfig.GemmaExtras(embeddingMultiplier: Float(640.0.squareRoot()), slidingWindowPattern: 6,
                                                   localRopeTheta: 10_000, queryPreAttnScalar: 256))
        // layers 5, 11 and 17 attend to every key, the others to the last 512
        #expect((0..<18).map { c.attentionWindow(layer: $0) } == (0..<18).map { ($0 + 1) % 6 == 0 ? 0 : 512 })
        #expect(c.ropeTheta == 1_000_000 && c.headDim == 256 && c.numKVHeads == 1)
        #expect(c.eosTokenIDs == [1, 106])  // <eos> and <end_of_turn>
    }

    /// The same weights through a Hugging Face directory: `export-hf` (F32) writes Gemma's names,
    /// its norm convention (w of x * (1 + w)) and config.json (gemma3_text, layer_types, the local
    /// rotary base, the query scale), and the directory loads back to the same model.
    @Test func f32HuggingFaceExportMatchesTheReference() throws {
        let (gguf, fixture) = try Self.load()
        let dir = try makeTemporaryDirectory("gemma3-f32")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try GGUFToHF.export(gguf, to: dir, dtype: .f32)
        let config = try ModelConfig(contentsOf: dir.appendingPathComponent("config.json"))
        #expect(config == gguf.config)
        let weights = try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config)
        #expect(weights.layers[0].q.type == .f32 && weights.ropePairing == .halves)
        // the norms come back as the GGUF stored them (1 + w), to float rounding
        let stored = gguf.layers[3].postFFNNorm!, loaded = weights.layers[3].postFFNNorm!
        #expect((0..<stored.count).allSatisfy { abs(stored.pointer[$0] - loaded.pointer[$0]) <= 1e-6 * max(1, abs(stored.pointer[$0])) })
        try expectAgreement(weights, fixture, label: "Gemma 3 F32 HF export")
    }

    /// The accuracy bar of the issue: top-1 >= 99.5% and mean |Δ logprob| <= 0.01 nats over every
    /// position, the same past the sliding window, and greedy continuations identical up to the
    /// first near-tie (top two within 0.05 nats) for at least 9 of 10 prompts. Sequences go through
    /// in chunks of 128 tokens (the 262,144-entry logits rows of a whole sequence would take 0.7 GB),
    /// which also runs chunked prefill across the window.
    @Test func matchesTheFloat64Reference() throws {
        let (weights, fixture) = try Self.load()
        #expect(fixture.modelFile == Self.file)
        try expectAgreement(weights, fixture, label: "Gemma 3 Q4_K_M GGUF")
    }

    func expectAgreement(_ weights: ModelWeights, _ fixture: ReferenceFixture, label: String) throws {
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 520,
                                   maxNumLogitsRows: 128, maxNumSeqs: 16)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 256, blockSize: Self.blockSize, dtype: .float32)
        let comparison = ReferenceComparison(model: model, cache: cache, blockSize: Self.blockSize)
        let all = try comparison.agreement(fixture.sequences, chunk: 128)
        print("\(label) vs f64 reference: \(all.numPositions) positions, top-1 \(all.top1Rate), mean |Δ| \(all.meanAbsDelta) nats, max \(all.maxAbsDelta)")
        #expect(all.numPositions == 1714)
        #expect(all.top1Rate >= 0.995)
        #expect(all.meanAbsDelta <= 0.01)

        let window = try #require(fixture.sequences.first { $0.name == "window" })
        let past = try comparison.agreement([window], chunk: 128, fromPosition: 512)
        print("\(label) past the 512-token window: \(past.numPositions) positions, top-1 \(past.top1Rate), mean |Δ| \(past.meanAbsDelta) nats, max \(past.maxAbsDelta)")
        #expect(past.numPositions == 208)
        #expect(past.top1Rate >= 0.995)
        #expect(past.meanAbsDelta <= 0.01)

        let numMatching = try comparison.greedyMatches(fixture, numSteps: 32, label: label)
        #expect(fixture.greedy.count == 10)
        #expect(numMatching >= 9)
    }
}
