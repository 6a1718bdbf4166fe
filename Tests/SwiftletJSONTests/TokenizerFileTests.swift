import Foundation
import SwiftletJSON
import Testing

/// A real tokenizer.json (SmolLM2's, the tokenizer tests' fixture) reads as Foundation reads it, in file order.
struct TokenizerFileTests {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SwiftletTokenizersTests/Fixtures/smollm2_tokenizer.json")

    @Test func smolLM2TokenizerMatchesJSONSerialization() throws {
        let data = try Data(contentsOf: Self.url)
        let value = try JSONValue(parsing: data)
        let reference = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let model = try #require(value["model"]?.objectValue)
        let referenceModel = try #require(reference["model"] as? [String: Any])

        let vocab = try #require(model["vocab"]?.objectValue)
        let referenceVocab = try #require(referenceModel["vocab"] as? [String: Int])
        #expect(vocab.count == 49152 && referenceVocab.count == vocab.count)
        #expect(vocab.keys.first == "<|endoftext|>")
        var mismatches = 0
        for (id, (key, number)) in vocab.enumerated() where number.intValue != id || referenceVocab[key] != id {
            mismatches += 1
        }
        #expect(mismatches == 0)

        let merges = try #require(model["merges"]?.arrayValue)
        let referenceMerges = try #require(referenceModel["merges"] as? [[String]])
        #expect(merges.count == referenceMerges.count && merges.count > 40_000)
        #expect(merges.map { $0.arrayValue?.compactMap(\.stringValue) ?? [] } == referenceMerges)
        #expect(value["added_tokens"]?[0]?["content"] == "<|endoftext|>")
        #expect(value["added_tokens"]?[0]?["special"] == true)
    }
}
