import Foundation
import Testing
@testable import Engine
import Models

/// SmolLM2-135M (Q4_1 GGUF) as a pooling model (vLLM's `--runner pooling`): final-norm hidden
/// states pooled by the last token or the mean, against scripts/reference's float64 forward pass
/// (Tests/ModelsTests/Fixtures/reference/smollm2-embeddings-f64.json), and `LLM.embed`.
struct DecoderEmbeddingTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var text: String
            var ids: [Int]
            var last: [Float]
            var mean: [Float]
            var lastRaw: [Float]
            enum CodingKeys: String, CodingKey { case text, ids, last, mean, lastRaw = "last_raw" }
        }
        var cases: [Case]
    }

    static let fixture = Result {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: EngineTestFiles.testFile("ModelsTests/Fixtures/reference/smollm2-embeddings-f64.json")))
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func lastAndMeanPoolingMatchTheReference() throws {
        let fixture = try Self.fixture.get()
        let engine = try EmbeddingEngine(decoder: try EngineTestFiles.smolLM(), numThreads: 2, maxModelLen: 256, maxNumBatchedTokens: 64)
        #expect(engine.poolerConfig == PoolerConfig(poolingType: .last, normalize: true))
        #expect(engine.maxModelLen == 256 && engine.model.hiddenSize == 576)
        // Texts through the model's own tokenizer: SmolLM2 adds no BOS.
        let outputs = try engine.embed(fixture.cases.map(\.text))
        for (output, reference) in zip(outputs, fixture.cases) {
            #expect(output.promptTokenIDs == reference.ids)
            let cosine = Self.cosine(output.embedding, reference.last)
            #expect(cosine > 1 - 1e-6, "\(reference.text.prefix(30)): cosine \(cosine)")
        }
        // Unnormalized, the last token's hidden state itself.
        let raw = try engine.embed(tokenIDs: [fixture.cases[1].ids], normalize: false)[0].embedding
        #expect(Self.cosine(raw, fixture.cases[1].lastRaw) > 1 - 1e-6)
        let scale = raw.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        let reference = fixture.cases[1].lastRaw.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(scale / reference - 1) < 1e-3, "norm \(scale) vs \(reference)")

        let mean = try EmbeddingEngine(model: engine.model, tokenizer: engine.tokenizer,
                                       poolerConfig: PoolerConfig.decoderDefault.overridden(json: #"{"pooling_type": "MEAN"}"#))
        for (output, reference) in zip(try mean.embed(tokenIDs: fixture.cases.map(\.ids)), fixture.cases) {
            #expect(Self.cosine(output.embedding, reference.mean) > 1 - 1e-6)
        }
    }

    @Test func batchedInputsEqualSingleRuns() throws {
        let model = try #require(try EmbeddingEngine(decoder: try EngineTestFiles.smolLM(), numThreads: 2, maxModelLen: 64,
                                                     maxNumBatchedTokens: 64).model as? DecoderPoolingModel)
        let inputs = [[1, 2, 3], Array(100..<140), [7], Array(200..<217)]   // 61 tokens: one forward, 4 inputs
        let together = try model.hiddenStates(inputs)
        var alone: [Float] = []
        for input in inputs { alone += try model.hiddenStates([input]) }
        #expect(together.count == 61 * 576 && alone.count == together.count)
        let worst = zip(together, alone).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-4, "largest difference \(worst)")
        // Block layout: inputs in consecutive blocks of 16 slots, tables padded with -1.
        let batch = DecoderPoolingModel.batch([[5, 6, 7], Array(0..<17)], blockSize: 16)
        #expect(batch.blockTables == [0, -1, 1, 2] && batch.maxBlocksPerSeq == 2)
        #expect(batch.slotMapping == [0, 1, 2] + (16..<33).map(Int32.init))
        #expect(batch.positions == [0, 1, 2] + (0..<17).map(Int32.init) && batch.tokenSeq == [0, 0, 0] + Array(repeating: 1, count: 17))
        #expect(throws: ForwardError.valueOutOfRange(field: "sequence length", index: 0, value: 65, validRange: 1..<65)) {
            try model.hiddenStates([Array(repeating: 1, count: 65)])
        }
        #expect(throws: ForwardError.valueOutOfRange(field: "token id", index: 1, value: 49152, validRange: 0..<49152)) {
            try model.hiddenStates([[1], [49152]])
        }
    }

    @Test func poolerConfigOverrides() throws {
        let base = PoolerConfig.decoderDefault
        #expect(try base.overridden(json: #"{"pooling_type": "mean", "normalize": false}"#) == PoolerConfig(poolingType: .mean, normalize: false))
        #expect(try base.overridden(json: #"{"seq_pooling_type": "CLS"}"#) == PoolerConfig(poolingType: .cls, normalize: true))
        #expect(try base.overridden(json: "{}") == base)
        func failure(_ json: String) -> String? {
            do { _ = try base.overridden(json: json); return nil } catch { return "\(error)" }
        }
        #expect(failure(#"{"pooling_type": "MAX"}"#)?.contains("pooling_type 'MAX' is not one of MEAN, CLS, LAST") == true)
        #expect(failure(#"{"dimensions": 64}"#)?.contains("'dimensions' is not supported yet") == true)
        #expect(failure(#"{"poolingtype": "MEAN"}"#)?.contains("'poolingtype' is not a pooler config field") == true)
        #expect(failure(#"{"normalize": "yes"}"#)?.contains("normalize a boolean") == true)
        #expect(failure("[1]")?.contains("must be a JSON object") == true)
    }

    @Test func llmEmbedAndGenerateByRunner() throws {
        let fixture = try Self.fixture.get()
        let pooling = try LLM(model: try EngineTestFiles.smolLM(), config: EngineConfig(maxModelLen: 128, numThreads: 2), runner: .pooling)
        let vectors = try pooling.embed([fixture.cases[0].text, fixture.cases[2].text])
        #expect(Self.cosine(vectors[0].embedding, fixture.cases[0].last) > 1 - 1e-6)
        #expect(Self.cosine(vectors[1].embedding, fixture.cases[2].last) > 1 - 1e-6)
        #expect(throws: LLM.notGenerative) { try pooling.generate(["Hello"]) }

        let bert = try LLM(model: try EngineTestFiles.model("all-MiniLM-L6-v2", fetch: "minilm"), config: EngineConfig(numThreads: 2))
        let sentence = try bert.embed(["A man is eating food."])[0]
        #expect(sentence.promptTokenIDs.first == 101 && sentence.embedding.count == 384)
        #expect(throws: LLM.notGenerative) { try bert.core }
        #expect(throws: GenerationError.invalidParams("\(try EngineTestFiles.model("all-MiniLM-L6-v2", fetch: "minilm")) is an encoder (BERT) embedding model: it cannot generate")) {
            try LLM(model: try EngineTestFiles.model("all-MiniLM-L6-v2", fetch: "minilm"), runner: .generate)
        }
    }
}
