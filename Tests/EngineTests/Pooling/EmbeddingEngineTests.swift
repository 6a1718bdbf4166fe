import Foundation
import Testing
@testable import Engine
import Models

/// all-MiniLM-L6-v2 end to end: text -> WordPiece ids -> BERT -> mean pooling -> normalization,
/// against the float64 reference's embeddings (Tests/ModelsTests/Fixtures/reference), and the
/// pooling read from the sentence-transformers files.
struct EmbeddingEngineTests {
    struct Fixture: Decodable {
        struct Case: Decodable {
            var text: String
            var ids: [Int]
            var embedding: [Float]
        }
        var cases: [Case]
    }

    static func engine(maxNumBatchedTokens: Int = 2048) throws -> EmbeddingEngine {
        try EmbeddingEngine(directory: EngineTestFiles.model("all-MiniLM-L6-v2", fetch: "minilm"), numThreads: 2,
                            maxNumBatchedTokens: maxNumBatchedTokens)
    }

    static func fixture() throws -> Fixture {
        let data = try Data(contentsOf: EngineTestFiles.testFile("ModelsTests/Fixtures/reference/minilm-embeddings-f64.json"))
        return try JSONDecoder().decode(Fixture.self, from: data)
    }

    @Test func textsEmbedAsTheReference() throws {
        let engine = try Self.engine(maxNumBatchedTokens: 64)   // several batches, the 202-token text alone
        #expect(engine.poolerConfig == PoolerConfig(poolingType: .mean, normalize: true, maxSeqLength: 256))
        #expect(engine.maxModelLen == 256)
        let fixture = try Self.fixture()
        let outputs = try engine.embed(fixture.cases.map(\.text))
        #expect(outputs.map(\.requestID) == (0..<13).map(String.init))
        for (output, reference) in zip(outputs, fixture.cases) {
            #expect(output.promptTokenIDs == reference.ids)
            var dot: Double = 0
            for (a, b) in zip(output.embedding, reference.embedding) { dot += Double(a) * Double(b) }
            #expect(dot > 1 - 1e-6, "\(reference.text.prefix(30)): cosine \(dot)")
        }
        // Not normalized on request: the same direction, another length.
        let raw = try engine.embed(["A man is eating food."], normalize: false)[0].embedding
        let norm = raw.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        #expect(abs(norm - 1) > 0.1)
        #expect(zip(Pooler.normalized(raw), outputs[3].embedding).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func limitsAndTruncation() throws {
        let engine = try Self.engine()
        let long = Array(repeating: 2000, count: 300)
        #expect(throws: GenerationError.invalidParams("This model's maximum context length is 256 tokens. However, you requested 300 tokens in the input for embedding generation. Please reduce the length of the input.")) {
            try engine.embed(tokenIDs: [[101, 102], long])
        }
        #expect(throws: GenerationError.emptyPrompt) { try engine.embed(tokenIDs: [[]]) }
        #expect(throws: GenerationError.invalidTokenID(40000, vocabSize: 30522)) { try engine.embed(tokenIDs: [[101, 40000]]) }
        #expect(throws: GenerationError.invalidParams("truncate_prompt_tokens value (257) is greater than max_model_len (256). Please request a smaller truncation size.")) {
            try engine.embed(tokenIDs: [long], truncatePromptTokens: 257)
        }
        let kept = try engine.embed(tokenIDs: [Array(0..<300)], truncatePromptTokens: -1)
        #expect(kept[0].promptTokenIDs == Array(44..<300))
        #expect(try engine.embed(tokenIDs: [Array(0..<10)], truncatePromptTokens: 3)[0].promptTokenIDs == [7, 8, 9])
        #expect(try engine.embed(tokenIDs: [Array(0..<10)], truncatePromptTokens: 3, truncationSide: .right)[0].promptTokenIDs == [0, 1, 2])
        #expect(throws: GenerationError.invalidParams("truncate_prompt_tokens must be -1 or at least 1, got 0")) {
            try engine.embed(tokenIDs: [[101, 102]], truncatePromptTokens: 0)
        }
        // Text is cut inside [CLS] ... [SEP], as Hugging Face truncation does: "one two three four" is
        // [101, 2028, 2048, 2093, 2176, 102].
        #expect(try engine.tokenize("one two three four") == [101, 2028, 2048, 2093, 2176, 102])
        #expect(try engine.embed(["one two three four"], truncatePromptTokens: 4)[0].promptTokenIDs == [101, 2093, 2176, 102])
        #expect(try engine.embed(["one two three four"], truncatePromptTokens: 4, truncationSide: .right)[0].promptTokenIDs
            == [101, 2028, 2048, 102])
        #expect(try engine.embed(["one two three four"], truncatePromptTokens: 3, addSpecialTokens: false)[0].promptTokenIDs
            == [2048, 2093, 2176])
        #expect(throws: GenerationError.invalidParams("truncate_prompt_tokens (2) leaves no room for the input beside its 2 special tokens")) {
            try engine.embed(["one"], truncatePromptTokens: 2)
        }
        // The empty text is [CLS] [SEP], as vLLM embeds it.
        #expect(try engine.embed([""])[0].promptTokenIDs == [101, 102])
    }

    @Test func poolingFilesDecideThePooler() throws {
        let directory = try EngineTestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // No modules.json: [CLS] pooling, normalized.
        #expect(try PoolerConfig.load(directory: directory) == PoolerConfig(poolingType: .cls, normalize: true))
        let modules = #"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]"#
        try Data(modules.utf8).write(to: directory.appendingPathComponent("modules.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("1_Pooling"), withIntermediateDirectories: true)
        let poolingFile = directory.appendingPathComponent("1_Pooling/config.json")
        try Data(#"{"pooling_mode_lasttoken": true}"#.utf8).write(to: poolingFile)
        #expect(try PoolerConfig.load(directory: directory) == PoolerConfig(poolingType: .last, normalize: false))
        func failure() -> String? {
            do { _ = try PoolerConfig.load(directory: directory); return nil } catch { return "\(error)" }
        }
        try Data(#"{"pooling_mode_max_tokens": true}"#.utf8).write(to: poolingFile)
        #expect(failure() == "\(ModelLoadError.badField(path: poolingFile.path, field: "pooling_mode_max_tokens", reason: "this pooling mode is not implemented (mean, cls and last token are)"))")
        try Data(#"{"pooling_mode_mean_tokens": true, "pooling_mode_cls_token": true}"#.utf8).write(to: poolingFile)
        #expect(failure() == "\(ModelLoadError.badField(path: poolingFile.path, field: "pooling_mode_*", reason: "exactly one of mean, cls and last token pooling must be on, found 2"))")
        try Data("[1,".utf8).write(to: poolingFile)
        #expect(failure()?.contains("1_Pooling/config.json") == true)
        try Data(#"{"pooling_mode_mean_tokens": true}"#.utf8).write(to: poolingFile)
        try Data(#"{"max_seq_length": 128, "do_lower_case": true}"#.utf8).write(to: directory.appendingPathComponent("sentence_bert_config.json"))
        #expect(try PoolerConfig.load(directory: directory) == PoolerConfig(poolingType: .mean, normalize: false, maxSeqLength: 128, doLowerCase: true))
        try Data(#"{"max_seq_length": 0}"#.utf8).write(to: directory.appendingPathComponent("sentence_bert_config.json"))
        #expect(failure()?.hasSuffix("field max_seq_length: must be at least 1, got 0") == true)
        let dense = #"[{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}, {"idx": 1, "name": "1", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]"#
        try Data(dense.utf8).write(to: directory.appendingPathComponent("modules.json"))
        #expect(failure()?.hasSuffix("field type: module 'sentence_transformers.models.Dense' is not supported (Transformer, Pooling and Normalize are)") == true)
        #expect(EmbeddingEngine.isEmbeddingModel(path: try EngineTestFiles.model("all-MiniLM-L6-v2", fetch: "minilm")))
        #expect(!EmbeddingEngine.isEmbeddingModel(path: try EngineTestFiles.smolLM()))
    }
}
