import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// The tiny random model through both loaders, against a naive Double forward.
@Suite struct TinyModelForwardTests {
    static let prompt: [Int32] = [1, 17, 42, 99, 0, 63, 8, 8, 31]
    let pool = WorkerPool(numThreads: 2)

    /// Loads `tiny` from its GGUF file and from its HF directory.
    static func loadBoth(_ tiny: TinyModel, label: String) throws -> (gguf: ModelWeights, hf: ModelWeights) {
        let dir = try makeTemporaryDirectory(label)  // kept: the weights map these files
        let path = dir.appendingPathComponent("tiny.gguf").path
        try tiny.writeGGUF(to: path)
        try tiny.writeHF(to: dir.appendingPathComponent("hf"))
        let gguf = try ModelWeights(gguf: GGUFFile(path: path))
        let hfDir = dir.appendingPathComponent("hf")
        let hf = try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: hfDir),
                                  config: ModelConfig(contentsOf: hfDir.appendingPathComponent("config.json")))
        return (gguf, hf)
    }

    /// Logits of `tokens` prefilled in one chunk into a fresh cache (blocks 2, 0, 1 of 4).
    func prefill(_ weights: ModelWeights, _ tokens: [Int32], numThreads: Int = 2) throws -> [[Float]] {
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: numThreads), maxNumBatchedTokens: 16)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 4, blockSize: 4)
        let (batch, _) = makeBatch([SeqChunk(tokens: tokens, startPosition: 0, blockTable: [2, 0, 1])],
                                   blockSize: 4, maxBlocksPerSeq: 3)
        return try logitsRows(model, batch, cache: cache)
    }

    @Test(arguments: ["llama", "qwen2", "qwen3"])
    func ggufAndSafeTensorsGiveTheSameLogitsAsANaiveForward(arch: String) throws {
        let tiny = try TinyModel(arch: arch)
        let (gguf, hf) = try Self.loadBoth(tiny, label: "both-\(arch)")
        #expect(gguf.ropePairing == (arch == "llama" ? .adjacent : .halves))
        #expect(hf.ropePairing == .halves)
        #expect(gguf.tokenEmbedding.type == .q8_0)
        #expect(gguf.layers[0].q.type == .q4_1)
        #expect(hf.layers[0].q.type == .f32)
        #expect((gguf.layers[1].qBias != nil) == (arch == "qwen2"))
        #expect((gguf.layers[1].kNorm != nil) == (arch == "qwen3"))

        // the GGUF's Q8_0 and Q4_1 matrices (ffn_up, the LM head; q, k, v, ffn_gate) on the
        // F32-activation kernels, as the HF copy runs; packed (16-bit activations, the default)
        // within the activation rounding
        let packed = try ModelWeights(gguf: GGUFFile(path: gguf.path), packWeights: true)
        #expect(packed.layers[0].up?.packed != nil && packed.output.packed != nil && packed.layers[0].gate?.packed != nil)
        #expect(packed.layers[0].q.packed?.layout == .q4_1Rows16 && packed.layers[0].down?.packed == nil)
        let plain = try ModelWeights(gguf: GGUFFile(path: gguf.path), packWeights: false)
        let fromGGUF = try prefill(plain, Self.prompt)
        let fromPackedGGUF = try prefill(packed, Self.prompt)
        let fromHF = try prefill(hf, Self.prompt)
        let naive = NaiveForward(tiny).logits(Self.prompt).map { $0.map(Float.init) }
        let ggufVsHF = maxRelativeDifference(fromGGUF, fromHF)
        let hfVsNaive = maxRelativeDifference(fromHF, naive)
        print("tiny \(arch): GGUF vs HF max rel diff \(ggufVsHF) (packed \(maxRelativeDifference(fromPackedGGUF, fromHF))), HF vs naive Double \(hfVsNaive)")
        #expect(ggufVsHF <= 1e-5)
        #expect(maxRelativeDifference(fromPackedGGUF, fromHF) <= 2e-4)
        #expect(hfVsNaive <= 1e-4)
        // Both checks can fail: the wrong pairing changes the logits well beyond the tolerance.
        if arch == "llama" {
            let wrong = try ModelWeights(source: GGUFWeightSource(file: GGUFFile(path: gguf.path)),
                                         config: gguf.config, ropePairing: .halves)
            #expect(maxRelativeDifference(try prefill(wrong, Self.prompt), fromHF) > 1e-3)
        }
    }

    @Test func tiedOutputUsesTheTokenEmbeddings() throws {
        let tiny = try TinyModel(tied: true, seed: 11)
        let (gguf, hf) = try Self.loadBoth(tiny, label: "tied")
        #expect(gguf.config.tieWordEmbeddings && hf.config.tieWordEmbeddings)
        #expect(gguf.output.data == gguf.tokenEmbedding.data)
        let naive = NaiveForward(tiny).logits(Self.prompt).map { $0.map(Float.init) }
        #expect(maxRelativeDifference(try prefill(gguf, Self.prompt), naive) <= 1e-4)
    }

    @Test func aSequenceGetsTheSameLogitsAloneOnOneThreadAndInAScrambledFlatBatchOnTwo() throws {
        let tiny = try TinyModel()
        let weights = try Self.loadBoth(tiny, label: "batch").gguf
        let a: [Int32] = [5, 6, 7, 8, 9, 10, 11]
        let alone = try prefill(weights, a, numThreads: 1)

        let model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: 32)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 12, blockSize: 4)
        let chunks = [
            SeqChunk(tokens: [3, 1, 4, 1, 5, 9, 2, 6, 5], startPosition: 0, blockTable: [7, 3, 10]),
            SeqChunk(tokens: [2, 7, 1, 8], startPosition: 0, blockTable: [0]),
            SeqChunk(tokens: a, startPosition: 0, blockTable: [11, 4]),
        ]
        let numTokens = 20
        let order = (0..<numTokens).map { ($0 * 7) % numTokens }  // 7 is coprime with 20
        let (batch, rowOf) = makeBatch(chunks, blockSize: 4, maxBlocksPerSeq: 3, order: order)
        let rows = try logitsRows(model, batch, cache: cache)
        let inBatch = rowOf[2].map { rows[$0] }
        print("batch invariance: max rel diff \(maxRelativeDifference(inBatch, alone)), exact: \(inBatch == alone)")
        #expect(inBatch == alone)
    }

    @Test func chunkedPrefillAndDecodeMatchOneChunk() throws {
        let weights = try Self.loadBoth(try TinyModel(arch: "qwen3"), label: "chunks").gguf
        let tokens: [Int32] = [12, 0, 99, 45, 45, 3, 71, 28, 5, 60, 2, 19]
        let whole = try prefill(weights, tokens)

        let model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: 8)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 6, blockSize: 4)
        let table: [Int32] = [5, 1, 3]
        var pieces: [[Float]] = []
        var start = 0
        for length in [5, 4, 1, 1, 1] {
            let chunk = SeqChunk(tokens: Array(tokens[start..<start + length]), startPosition: start, blockTable: table)
            pieces += try logitsRows(model, makeBatch([chunk], blockSize: 4, maxBlocksPerSeq: 3).0, cache: cache)
            start += length
        }
        print("chunked prefill: max rel diff \(maxRelativeDifference(pieces, whole)), exact: \(pieces == whole)")
        #expect(pieces == whole)
    }

    @Test func forwardRejectsABatchThatWouldReadOutsideTheCache() throws {
        let weights = try Self.loadBoth(try TinyModel(), label: "reject").gguf
        let model = try LlamaModel(weights: weights, pool: pool, maxNumBatchedTokens: 4)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 2, blockSize: 4)
        var (batch, _) = makeBatch([SeqChunk(tokens: [1, 2, 3], startPosition: 0, blockTable: [1])], blockSize: 4, maxBlocksPerSeq: 2)
        batch.slotMapping[2] = 9
        #expect(throws: ForwardError.valueOutOfRange(field: "slotMapping", index: 2, value: 9, validRange: 6..<7)) {
            try model.forward(batch, cache: cache)
        }
        batch.slotMapping[2] = 6
        batch.tokens[0] = 100
        #expect(throws: ForwardError.valueOutOfRange(field: "tokens", index: 0, value: 100, validRange: 0..<100)) {
            try model.forward(batch, cache: cache)
        }
        batch.tokens[0] = 1
        batch.positions[1] = 8
        #expect(throws: ForwardError.valueOutOfRange(field: "positions", index: 1, value: 8, validRange: 0..<8)) {
            try model.forward(batch, cache: cache)
        }
        let tooMany = makeBatch([SeqChunk(tokens: [1, 2, 3, 4, 5], startPosition: 0, blockTable: [0, 1])], blockSize: 4, maxBlocksPerSeq: 2).0
        #expect(throws: ForwardError.batchTooLarge(field: "tokens", count: 5, max: 4)) {
            try model.forward(tooMany, cache: cache)
        }
    }
}
