import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// The profiler's laps in the forward pass: which categories a forward charges, that it does
/// not change the logits, and the weight traffic of the tiny model.
@Suite struct ForwardProfilerTests {
    static let prompt: [Int32] = [1, 17, 42, 99, 0, 63]

    func tinyWeights(_ label: String) throws -> ModelWeights {
        let dir = try makeTemporaryDirectory(label)  // kept: the weights map this file
        let path = dir.appendingPathComponent("tiny.gguf").path
        try TinyModel(arch: "llama").writeGGUF(to: path)
        return try ModelWeights(gguf: GGUFFile(path: path))
    }

    func prefill(_ model: LlamaModel, _ weights: ModelWeights) throws -> [[Float]] {
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 4, blockSize: 4)
        let (batch, _) = makeBatch([SeqChunk(tokens: Self.prompt, startPosition: 0, blockTable: [2, 0])],
                                   blockSize: 4, maxBlocksPerSeq: 2)
        return try logitsRows(model, batch, cache: cache)
    }

    @Test func forwardLapsEveryModelCategoryAndKeepsTheLogits() throws {
        let weights = try tinyWeights("profiler")
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 1), maxNumBatchedTokens: 16)
        let plain = try prefill(model, weights)
        let profiler = ForwardProfiler(pool: nil)
        model.profiler = profiler
        let profiled = try prefill(model, weights)
        #expect(profiled == plain)
        #expect(profiler.lastForwardNumTokens == 6)
        #expect(profiler.lastForwardNumLogitsRows == 6)
        #expect(profiler.numSteps == 0 && profiler.totalSeconds == 0)  // laps wait in the open step
        profiler.commitStep()
        #expect(profiler.numSteps == 1)
        let charged: Set<ProfileCategory> = [.qkvProjection, .outputProjection, .ffnGateUp, .ffnDown, .logits,
                                             .attention, .norms, .rope, .elementwise, .scheduling]
        for category in ProfileCategory.allCases {
            #expect((profiler.seconds(category) > 0) == charged.contains(category), "\(category)")
        }
        let total = profiler.totalSeconds
        _ = try prefill(model, weights)
        profiler.discardStep()
        #expect(profiler.totalSeconds == total && profiler.numSteps == 1)
        profiler.lap(.sampling)
        profiler.commitStep()
        #expect(profiler.seconds(.sampling) > 0 && profiler.numSteps == 2)
    }

    /// Tiny llama: per layer q 64x64 Q4_1 (2560 B), k 32x64 Q8_0 (2176), v 32x64 Q4_1 (1280),
    /// o 64x64 F32 (16384), gate 96x64 Q4_1 (3840), up 96x64 Q8_0 (6528), down 64x96 F32
    /// (24576), two norms (512); then the LM head 100x64 Q8_0 (6800) and the final norm (256).
    @Test func weightTrafficOfTheTinyModel() throws {
        let traffic = WeightTraffic(weights: try tinyWeights("traffic"))
        #expect(traffic.bytesPerStep == 2 * (57_344 + 512) + 6_800 + 256)
        #expect(traffic.matmulParams == 2 * 30_720 + 6_400)
    }
}
