import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// GGUF -> HF export: exact F32 weights in HF order, BF16 rounding, same logits after reload.
@Suite struct GGUFToHFTests {
    let pool = WorkerPool(numThreads: 2)

    func prefill(_ weights: ModelWeights, _ tokens: [Int32]) throws -> [[Float]] {
        let model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: 16)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 4, blockSize: 4)
        let (batch, _) = makeBatch([SeqChunk(tokens: tokens, startPosition: 0, blockTable: [1, 3, 0])], blockSize: 4, maxBlocksPerSeq: 3)
        return try logitsRows(model, batch, cache: cache)
    }

    @Test(arguments: [("llama", false), ("llama", true), ("qwen2", false), ("qwen3", true)])
    func f32ExportHoldsTheExactWeightsAndGivesIdenticalLogits(arch: String, tied: Bool) throws {
        let tiny = try TinyModel(arch: arch, tied: tied, seed: 23)
        let dir = try makeTemporaryDirectory("export-\(arch)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ggufPath = dir.appendingPathComponent("tiny.gguf").path
        try tiny.writeGGUF(to: ggufPath)
        try tiny.writeHF(to: dir.appendingPathComponent("original"))
        let exported = dir.appendingPathComponent("exported")
        let summary = try GGUFToHF.export(GGUFFile(path: ggufPath), to: exported, dtype: .f32)
        #expect(summary.files == ["model.safetensors", "config.json", "generation_config.json"])
        #expect(summary.numTensors == tiny.hfTensors.count)

        // Every tensor: same name, shape and F32 values as the model the GGUF was made from.
        let checkpoint = try SafeTensorsCheckpoint(directory: exported)
        #expect(checkpoint.tensorNames == tiny.hfTensors.map(\.name).sorted())
        for t in tiny.hfTensors {
            let info = try #require(checkpoint.tensor(named: t.name)?.info)
            #expect(info.shape == t.shape && info.dtype == .f32, "\(t.name)")
            #expect(try checkpoint.toFloat(named: t.name) == t.values, "\(t.name)")
        }
        let config = try ModelConfig(contentsOf: exported.appendingPathComponent("config.json"))
        let original = try ModelConfig(contentsOf: dir.appendingPathComponent("original/config.json"))
        #expect(config.rmsNormEps == tiny.rmsNormEps && config.ropeTheta == tiny.ropeTheta)
        #expect(config.architecture == original.architecture && config.tieWordEmbeddings == tied)
        #expect(config.qkvBias == original.qkvBias && config.qkNorm == original.qkNorm)

        let prompt: [Int32] = [4, 8, 15, 16, 23, 42]
        let fromExport = try prefill(ModelWeights(safetensors: checkpoint, config: config), prompt)
        let fromOriginal = try prefill(ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir.appendingPathComponent("original")),
                                                    config: original), prompt)
        #expect(fromExport == fromOriginal)
        // the GGUF's Q8_0 matrices on the F32-activation kernels, as the F32 export runs; packed
        // (16-bit activations, the default) they stay within the activation rounding
        let fromGGUF = try prefill(ModelWeights(gguf: GGUFFile(path: ggufPath), packWeights: false), prompt)
        #expect(maxRelativeDifference(fromExport, fromGGUF) <= 1e-5)
        let fromPackedGGUF = try prefill(ModelWeights(gguf: GGUFFile(path: ggufPath), packWeights: true), prompt)
        #expect(maxRelativeDifference(fromExport, fromPackedGGUF) <= 2e-4)
    }

    @Test func bf16ExportRoundsToNearestEven() throws {
        #expect(GGUFToHF.bfloat16Bits(1.0) == 0x3F80)
        #expect(GGUFToHF.bfloat16Bits(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie, even stays
        #expect(GGUFToHF.bfloat16Bits(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie, odd rounds up
        #expect(GGUFToHF.bfloat16Bits(Float(bitPattern: 0x3F80_8001)) == 0x3F81)
        #expect(GGUFToHF.bfloat16Bits(-Float(bitPattern: 0x3F80_7FFF)) == 0xBF80)
        #expect(GGUFToHF.bfloat16Bits(.infinity) == 0x7F80)
        #expect(GGUFToHF.bfloat16Bits(Float(bitPattern: 0x7F7F_FFFF)) == 0x7F80)  // max float rounds to infinity
        #expect(GGUFToHF.bfloat16Bits(.nan) & 0x7FC0 == 0x7FC0)

        let tiny = try TinyModel(seed: 5)
        let dir = try makeTemporaryDirectory("export-bf16")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ggufPath = dir.appendingPathComponent("tiny.gguf").path
        try tiny.writeGGUF(to: ggufPath)
        let summary = try GGUFToHF.export(GGUFFile(path: ggufPath), to: dir.appendingPathComponent("hf"), dtype: .bf16)
        let checkpoint = try SafeTensorsCheckpoint(directory: summary.directory)
        for t in tiny.hfTensors {
            let expected = t.values.map { Float(bitPattern: UInt32(GGUFToHF.bfloat16Bits($0)) << 16) }
            #expect(checkpoint.tensor(named: t.name)?.info.dtype == .bf16)
            #expect(try checkpoint.toFloat(named: t.name) == expected, "\(t.name)")
        }
        let config = try ModelConfig(contentsOf: summary.directory.appendingPathComponent("config.json"))
        let weights = try ModelWeights(safetensors: checkpoint, config: config)
        #expect(weights.layers[0].q.type == .bf16)
    }
}
