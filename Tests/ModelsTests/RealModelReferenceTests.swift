import Foundation
import Kernels
import ModelFormats
import Models
import Testing

/// SmolLM2-135M-Instruct Q4_1 (the default model) against float64 NumPy reference log-probs.
@Suite(.serialized) struct RealModelReferenceTests {
    static let blockSize = 16

    static func makeModel(_ weights: ModelWeights) throws -> (LlamaModel, KVCacheStorage) {
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 520,
                                   maxNumLogitsRows: 280, maxNumSeqs: 16)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 128, blockSize: blockSize)
        return (model, cache)
    }

    @Test func smolLM2MatchesTheFloat64Reference() throws {
        let path = try RealModel.path("SmolLM2-135M-Instruct.Q4_1.gguf")
        let fixture = try ReferenceFixture.load("smollm2-q4_1-f64.json")
        #expect(fixture.format == "swiftlet-reference-logprobs v1")
        let weights = try ModelWeights(gguf: GGUFFile(path: path))
        #expect(weights.ropePairing == .adjacent)
        #expect(weights.config.tieWordEmbeddings)
        let (model, cache) = try Self.makeModel(weights)
        let comparison = ReferenceComparison(model: model, cache: cache, blockSize: Self.blockSize)

        let agreement = try comparison.agreement(fixture.sequences)
        print("SmolLM2 vs f64 reference: \(agreement.numPositions) positions, top-1 agreement \(agreement.top1Rate), mean |Δ logprob| \(agreement.meanAbsDelta) nats, max \(agreement.maxAbsDelta)")
        #expect(agreement.numPositions == 1034)
        #expect(agreement.top1Rate >= 0.995)
        #expect(agreement.meanAbsDelta <= 0.01)

        let continuations = try comparison.greedyContinuations(fixture, numSteps: 32)
        var numMatching = 0
        for (reference, ours) in zip(fixture.greedy, continuations) {
            let decisive = reference.steps.firstIndex { $0.gap < 0.05 } ?? reference.steps.count
            let matches = Array(ours.prefix(decisive)) == Array(reference.continuationIDs.prefix(decisive))
            numMatching += matches ? 1 : 0
            print("greedy \(reference.name): compared \(decisive) steps, \(matches ? "identical" : "DIFFERENT: \(ours) vs \(reference.continuationIDs)")")
        }
        print("greedy: \(numMatching) of \(fixture.greedy.count) prompts identical up to the first near-tie")
        #expect(numMatching >= 9)
    }

    @Test func bf16ExportOfSmolLM2MatchesTheBF16WeightReference() throws {
        let path = try RealModel.path("SmolLM2-135M-Instruct.Q4_1.gguf")
        let fixture = try ReferenceFixture.load("smollm2-q4_1-bf16w-f64.json")
        let dir = try makeTemporaryDirectory("smollm2-bf16")
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try GGUFToHF.export(GGUFFile(path: path), to: dir, dtype: .bf16)
        print("SmolLM2 BF16 export: model.safetensors \(summary.safetensorsByteCount) bytes, \(summary.numTensors) tensors")
        #expect(summary.numTensors == 30 * 9 + 2)
        #expect(summary.safetensorsByteCount == 269_060_544)
        let config = try ModelConfig(contentsOf: dir.appendingPathComponent("config.json"))
        #expect(config.architecture == .llama && config.tieWordEmbeddings && config.ropeTheta == 100_000)
        let weights = try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config)
        #expect(weights.ropePairing == .halves && weights.layers[0].q.type == .bf16)

        let (model, cache) = try Self.makeModel(weights)
        let comparison = ReferenceComparison(model: model, cache: cache, blockSize: Self.blockSize)
        let subset = fixture.sequences.filter { ["france", "prose", "chat_france"].contains($0.name) }
        let agreement = try comparison.agreement(subset)
        print("SmolLM2 BF16 export vs bf16-weight f64 reference: \(agreement.numPositions) positions, top-1 agreement \(agreement.top1Rate), mean |Δ logprob| \(agreement.meanAbsDelta) nats, max \(agreement.maxAbsDelta)")
        #expect(agreement.numPositions == 75)
        #expect(agreement.top1Rate >= 0.995)
        #expect(agreement.meanAbsDelta <= 0.01)
    }
}
