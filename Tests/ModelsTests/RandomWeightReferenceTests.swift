import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// Random-weight GGUF files of the families no small real checkpoint is installable for (written by
/// scripts/reference/make_random_gguf.py in llama.cpp's tensor names: mixture-of-experts Mixtral as
/// llama, Qwen3-MoE, Qwen2-MoE with its shared expert, and Phi-3 with fused tensors) against the
/// float64 NumPy reference of forward_random.py (Fixtures/reference/random-*-f64.json, made by
/// make_reference_random.py, which also records llama.cpp's own agreement with the same reference).
@Suite struct RandomWeightReferenceTests {
    static let names = ["mixtral", "qwen3moe", "qwen2moe", "phi3"]
    static let blockSize = 16

    /// llama.cpp's figures against the reference, as make_reference_moe.py measured them.
    struct LlamaCppFigures: Decodable {
        struct Figures: Decodable {
            let top1_agreement: Double
            let mean_abs_delta: Double
        }
        let llama_cpp: Figures
    }

    static func fixturePath(_ name: String) throws -> String {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("random").appendingPathComponent("\(name)-tiny.gguf").path
    }

    static func load(_ name: String, pack: Bool = WeightMatrix.packingEnabled) throws -> (ModelWeights, ReferenceFixture) {
        (try ModelWeights(gguf: GGUFFile(path: fixturePath(name)), packWeights: pack),
         try ReferenceFixture.load("random-\(name)-f64.json"))
    }

    @Test func configsCarryTheExpertsAsTheFilesDescribeThem() throws {
        let mixtral = try Self.load("mixtral").0.config
        #expect(mixtral.architecture == .llama && !mixtral.qkNorm && !mixtral.qkvBias)
        #expect(mixtral.moe == ModelConfig.MixtureOfExperts(numExperts: 8, numExpertsUsed: 2, expertIntermediateSize: 64,
                                                            normalizeTopKProbabilities: true))
        let qwen3 = try Self.load("qwen3moe").0
        #expect(qwen3.config.architecture == .qwen3moe && qwen3.config.qkNorm && qwen3.config.tieWordEmbeddings)
        #expect(qwen3.config.moe == ModelConfig.MixtureOfExperts(numExperts: 8, numExpertsUsed: 2, expertIntermediateSize: 32,
                                                                 normalizeTopKProbabilities: true))
        #expect(qwen3.ropePairing == .halves && qwen3.layers[1].gate == nil)
        let moe = try #require(qwen3.layers[1].moe)
        #expect(moe.experts.count == 8 && moe.router.rows == 8 && moe.experts[7].down.rows == 64 && moe.experts[7].gate.type == .q4_1)
        // expert 7 is the last slice of the stacked tensor
        #expect(moe.experts[7].up.data == moe.experts[0].up.data + 7 * 32 * moe.experts[0].up.rowByteCount)
        let qwen2 = try Self.load("qwen2moe").0
        #expect(qwen2.config.moe == ModelConfig.MixtureOfExperts(numExperts: 8, numExpertsUsed: 4, expertIntermediateSize: 64,
                                                                 normalizeTopKProbabilities: false, sharedExpertIntermediateSize: 96))
        #expect(qwen2.config.qkvBias && qwen2.layers[0].moe?.shared?.down.cols == 96 && qwen2.layers[0].moe?.sharedGate?.count == 64)
        // Phi-3: q, k, v are consecutive row ranges of attn_qkv, gate and up the halves of ffn_up
        let phi3 = try Self.load("phi3", pack: false).0
        #expect(phi3.config.architecture == .phi3 && phi3.config.moe == nil && phi3.ropePairing == .halves)
        let layer = phi3.layers[1]
        #expect(layer.q.rows == 64 && layer.k.rows == 32 && layer.v.rows == 32)
        #expect(layer.k.data == layer.q.data + 64 * layer.q.rowByteCount && layer.v.data == layer.k.data + 32 * layer.k.rowByteCount)
        let gate = try #require(layer.gate), up = try #require(layer.up)
        #expect(gate.rows == 128 && up.data == gate.data + 128 * gate.rowByteCount && layer.down?.cols == 128)
    }

    /// Every position of four random sequences (256 in all) within the accuracy bar the real models
    /// meet, greedy continuations identical up to the first near-tie, and at least as close to the
    /// reference as llama.cpp's own run of the same file.
    @Test(arguments: names)
    func matchesTheFloat64Reference(name: String) throws {
        let (weights, fixture) = try Self.load(name)
        #expect(fixture.modelFile == "\(name)-tiny.gguf")
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 128, maxNumLogitsRows: 128, maxNumSeqs: 8)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 64, blockSize: Self.blockSize, dtype: .float32)
        let comparison = ReferenceComparison(model: model, cache: cache, blockSize: Self.blockSize)
        let all = try comparison.agreement(fixture.sequences)
        let llama = try JSONDecoder().decode(LlamaCppFigures.self, from: Data(contentsOf: try #require(
            Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent("reference/random-\(name)-f64.json"))).llama_cpp
        print("\(name) vs f64 reference: \(all.numPositions) positions, top-1 \(all.top1Rate), mean |Δ| \(all.meanAbsDelta) nats, max \(all.maxAbsDelta); llama.cpp top-1 \(llama.top1_agreement), mean |Δ| \(llama.mean_abs_delta)")
        #expect(all.numPositions == 256)
        #expect(all.top1Rate >= 0.995)
        #expect(all.meanAbsDelta <= 0.01)
        #expect(all.meanAbsDelta <= llama.mean_abs_delta)
        #expect(try comparison.greedyMatches(fixture, numSteps: 32, label: name) == fixture.greedy.count)
    }

    /// Routing changes which rows share an expert's matmul, never a token's bits: each sequence's
    /// logits alone on one thread equal its rows in a scrambled flat batch of all four on two.
    @Test(arguments: names)
    func aSequenceGetsTheSameBitsAloneAndInAScrambledBatch(name: String) throws {
        let (weights, fixture) = try Self.load(name)
        let sequences = fixture.sequences.map { Array($0.tokenIDs.prefix(40)) }
        func tables(_ s: Int) -> [Int32] { [Int32(3 * s + 2), Int32(3 * s), Int32(3 * s + 1)] }
        var alone: [[[Float]]] = []
        for (s, tokens) in sequences.enumerated() {
            let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 1), maxNumBatchedTokens: 40)
            let cache = try KVCacheStorage(config: weights.config, numBlocks: 12, blockSize: Self.blockSize)
            alone.append(try logitsRows(model, makeBatch([SeqChunk(tokens: tokens, startPosition: 0, blockTable: tables(s))],
                                                         blockSize: Self.blockSize, maxBlocksPerSeq: 3).0, cache: cache))
        }
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 160)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 12, blockSize: Self.blockSize)
        let chunks = sequences.indices.map { SeqChunk(tokens: sequences[$0], startPosition: 0, blockTable: tables($0)) }
        let order = (0..<160).map { ($0 * 63) % 160 }  // 63 is coprime with 160
        let (batch, rowOf) = makeBatch(chunks, blockSize: Self.blockSize, maxBlocksPerSeq: 3, order: order)
        let rows = try logitsRows(model, batch, cache: cache)
        for s in sequences.indices {
            #expect(rowOf[s].map { rows[$0] } == alone[s], "\(name) sequence \(s)")
        }
    }

    /// Without packing (the kernels of each stored type, F32 activations) the experts give the same
    /// answers within the packed path's activation rounding.
    @Test func unpackedWeightsAgreeWithThePackedOnes() throws {
        let (weights, fixture) = try Self.load("qwen3moe", pack: false)
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 128, maxNumLogitsRows: 128, maxNumSeqs: 8)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 64, blockSize: Self.blockSize, dtype: .float32)
        let all = try ReferenceComparison(model: model, cache: cache, blockSize: Self.blockSize).agreement(fixture.sequences)
        print("qwen3moe unpacked vs f64 reference: top-1 \(all.top1Rate), mean |Δ| \(all.meanAbsDelta)")
        #expect(all.top1Rate >= 0.995 && all.meanAbsDelta <= 0.01)
    }

    @Test func exportToHuggingFaceIsRefusedByName() throws {
        let dir = try makeTemporaryDirectory("random-export")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (mixtral, _) = try Self.load("mixtral")
        #expect(throws: GGUFToHFError.unsupportedModel(path: mixtral.path, reason: "its 8-expert mixture-of-experts layers have no Hugging Face export yet")) {
            try GGUFToHF.export(mixtral, to: dir, dtype: .f32)
        }
        let (phi3, _) = try Self.load("phi3")
        #expect(throws: GGUFToHFError.unsupportedModel(path: phi3.path, reason: "Phi-3's fused qkv_proj / gate_up_proj tensors have no Hugging Face export yet")) {
            try GGUFToHF.export(phi3, to: dir, dtype: .f32)
        }
    }
}
