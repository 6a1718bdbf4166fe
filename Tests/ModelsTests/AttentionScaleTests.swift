import Kernels
import ModelFormats
@testable import Models
import Testing

/// YaRN's attention factor multiplies both q and k, so the model's q·k scale carries its square.
@Suite struct AttentionScaleTests {
    @Test func yarnFactorSquaredScalesAttention() throws {
        let tiny = try TinyModel()
        let (weights, _) = try TinyModelForwardTests.loadBoth(tiny, label: "yarn")
        var config = weights.config
        config.ropeScaling = .yarn(factor: 4, originalMaxPositionEmbeddings: 64, betaFast: 32, betaSlow: 1, attentionFactor: 1.5)
        let yarn = try ModelWeights(source: GGUFWeightSource(file: GGUFFile(path: weights.path)), config: config, ropePairing: .adjacent)
        let pool = WorkerPool(numThreads: 1)
        #expect(try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: 4).attentionScale == 0.25)
        #expect(try LlamaModel(weights: yarn, pool: pool, maxNumBatchedTokens: 4).attentionScale == 2.25 / 4)
    }
}
