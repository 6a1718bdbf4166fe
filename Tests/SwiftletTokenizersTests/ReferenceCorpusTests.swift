import Foundation
import Testing
@testable import SwiftletTokenizers

/// Exact ids against independent implementations (HF tokenizers, sentencepiece) on the reference corpus.
@Suite struct ReferenceCorpusTests {
    /// Checks every corpus entry: ids with and without special-token parsing, and decoding.
    func check(_ tokenizer: Tokenizer, against name: String) throws {
        let entries = try TestResources.expected(name)
        #expect(entries.count == 81)
        var failures: [String] = []
        for entry in entries {
            let plain = tokenizer.encode(entry.text, addSpecialTokens: true, parseSpecial: false)
            if plain != entry.ids { failures.append("\(entry.text.debugDescription): \(plain) != \(entry.ids)") }
            let special = tokenizer.encode(entry.text, addSpecialTokens: true, parseSpecial: true)
            if special != entry.ids_parse_special {
                failures.append("special \(entry.text.debugDescription): \(special) != \(entry.ids_parse_special)")
            }
            if entry.roundtrip {
                let decoded = try tokenizer.decode(entry.ids, skipSpecialTokens: true)
                if decoded != entry.text { failures.append("roundtrip \(entry.text.debugDescription): \(decoded.debugDescription)") }
            }
            let skipped = try tokenizer.decode(entry.ids_parse_special, skipSpecialTokens: true)
            if skipped != entry.decoded_skip_special {
                failures.append("skip-special decode \(entry.text.debugDescription): \(skipped.debugDescription)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) mismatches:\n" + failures.prefix(8).joined(separator: "\n")))
    }

    @Test func smolLMFromGGUFMatchesHFTokenizers() throws {
        try check(TestResources.smolLM(), against: "smollm2")
    }

    @Test func smolLMFromTokenizerJSONMatchesHFTokenizers() throws {
        let tokenizer = try Tokenizer(tokenizerJSON: TestResources.fixture("smollm2_tokenizer.json"))
        try check(tokenizer, against: "smollm2")
    }

    @Test func gemmaFromGGUFMatchesSentencePiece() throws {
        try check(TestResources.gemma(), against: "gemma3")
    }

    @Test func tinySentencePieceJSONMatchesHFTokenizers() throws {
        let tokenizer = try Tokenizer(tokenizerJSON: TestResources.fixture("tiny_spm_tokenizer.json"))
        #expect(tokenizer.model == .llama)
        #expect(tokenizer.bosTokenID == 1)
        #expect(tokenizer.addsBOS)
        try check(tokenizer, against: "tiny_spm")
    }
}
