import Foundation
import Testing
@testable import Engine

/// vLLM's score API on an embedding model (all-MiniLM-L6-v2): pairs scored by the cosine of their
/// embeddings, against the cosines of the float64 reference's vectors.
struct EmbeddingScoreTests {
    static func referenceCosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { (dot, na, nb) = (dot + Double(x) * Double(y), na + Double(x * x), nb + Double(y * y)) }
        return dot / (na * nb).squareRoot()
    }

    @Test func pairsScoreAsTheReferenceCosines() throws {
        let engine = try EmbeddingEngineTests.engine()
        let cases = try EmbeddingEngineTests.fixture().cases
        let query = cases[3], documents = [cases[4], cases[5], cases[6], cases[12]]
        // 1:N: the one query against each document.
        let outputs = try engine.score([query.text], documents.map(\.text))
        #expect(outputs.map(\.requestID) == ["0_1", "0_2", "0_3", "0_4"])
        for (output, document) in zip(outputs, documents) {
            let expected = Self.referenceCosine(query.embedding, document.embedding)
            #expect(abs(Double(output.score) - expected) < 1e-5, "\(document.text.prefix(30)): \(output.score) vs \(expected)")
            // The pair's tokens as vLLM counts them: query, [PAD] (id 0), document.
            #expect(output.promptTokenIDs == query.ids + [0] + document.ids)
        }
        #expect(outputs[0].score > outputs[1].score && outputs[0].score > 0.7)   // eating food ~ eating bread
        // N:N pairs position by position; unnormalized embeddings give the same cosines.
        let pairs = try engine.score([cases[1].text, cases[3].text], [cases[1].text, cases[5].text], normalize: false)
        #expect(abs(pairs[0].score - 1) < 1e-6)
        #expect(abs(Double(pairs[1].score) - Self.referenceCosine(cases[3].embedding, cases[5].embedding)) < 1e-5)
        #expect(engine.tokenizer.paddingID == 0)
    }

    @Test func pairingIsOneToOneOneToManyOrManyToMany() throws {
        let engine = try EmbeddingEngineTests.engine()
        #expect(throws: GenerationError.invalidParams("Input lengths must be either 1:1, 1:N or N:N")) {
            try engine.score(["a", "b"], ["c", "d", "e"])
        }
        #expect(throws: GenerationError.invalidParams("At least one text element must be given")) { try engine.score([], ["c"]) }
        #expect(throws: GenerationError.invalidParams("At least one text_pair element must be given")) { try engine.score(["a"], []) }
        #expect(throws: GenerationError.invalidParams("truncate_prompt_tokens value (300) is greater than max_model_len (256). Please request a smaller truncation size.")) {
            try engine.score(["a"], ["b"], truncatePromptTokens: 300)
        }
        // Truncation applies to each side: 3 tokens each, plus the padding token between them.
        #expect(try engine.score(["one two three four"], ["five six seven"], truncatePromptTokens: 3)[0].promptTokenIDs.count == 7)
    }

    @Test func cosineSimilarityOfZeroVectorsIsZero() {
        #expect(EmbeddingEngine.cosineSimilarity([0, 0], [1, 0]) == 0)
        #expect(EmbeddingEngine.cosineSimilarity([3, 4], [6, 8]) == 1)
        #expect(EmbeddingEngine.cosineSimilarity([1, 0], [-1, 0]) == -1)
    }
}
