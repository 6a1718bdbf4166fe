import Foundation
import Testing
@testable import SwiftletTokenizers

/// all-MiniLM-L6-v2's WordPiece tokenizer against Hugging Face `tokenizers` on the same
/// tokenizer.json (scripts/reference/make_reference_minilm.py): the shared corpus plus WordPiece
/// corner cases (accents, CJK, control characters, over-long and unsplittable words, special tokens).
struct WordPieceTokenizerTests {
    struct Expected: Decodable {
        var text: String
        var ids: [Int]
        var tokens: [String]
        var ids_no_special: [Int]
    }

    static func miniLM() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(contentsOf: TestResources.model("all-MiniLM-L6-v2/tokenizer.json", fetchArgument: "minilm"))
    }

    @Test func matchesHuggingFaceTokenizers() throws {
        let tokenizer = try Self.miniLM()
        let data = try Data(contentsOf: TestResources.fixture("tok_expected_minilm.json"))
        let cases = try JSONDecoder().decode([Expected].self, from: data)
        #expect(cases.count == 93)
        for expected in cases {
            #expect(tokenizer.encode(expected.text) == expected.ids, "\(expected.text.debugDescription)")
            #expect(tokenizer.encode(expected.text, addSpecialTokens: false) == expected.ids_no_special,
                    "\(expected.text.debugDescription)")
        }
        #expect(tokenizer.vocabularySize == 30522 && tokenizer.prefixIDs == [101] && tokenizer.suffixIDs == [102])
    }

    @Test func decodeJoinsPieces() throws {
        let tokenizer = try Self.miniLM()
        let ids = tokenizer.encode("Unaffable people, aren't they?")
        #expect(ids == [101, 14477, 20961, 3468, 2111, 1010, 4995, 1005, 1056, 2027, 1029, 102])
        #expect(try tokenizer.decode(ids) == "unaffable people, aren't they?")
        #expect(try tokenizer.decode(ids, skipSpecialTokens: false) == "[CLS] unaffable people, aren't they? [SEP]")
        #expect(throws: TokenizerError.invalidTokenID(30522)) { try tokenizer.decode([30522]) }
    }

    @Test func refusesOtherPipelines() throws {
        func load(_ json: String) -> TokenizerError? {
            do { _ = try WordPieceTokenizer(json: Data(json.utf8)); return nil } catch { return error }
        }
        let vocab = #""vocab": {"[UNK]": 0, "a": 1}"#
        #expect(load(#"{"model": {"type": "BPE", \#(vocab)}}"#) == .unsupported(field: "model.type", value: "BPE"))
        #expect(load(#"{"model": {"type": "WordPiece", "vocab": {"a": 1}}}"#)
            == .malformedJSON(field: "model.unk_token", reason: "'[UNK]' is not in the vocabulary"))
        #expect(load(#"{"model": {"type": "WordPiece", \#(vocab)}, "normalizer": {"type": "NFKC"}}"#)
            == .unsupported(field: "normalizer.type", value: "NFKC"))
        #expect(load(#"{"model": {"type": "WordPiece", \#(vocab)}, "pre_tokenizer": {"type": "Whitespace"}}"#)
            == .unsupported(field: "pre_tokenizer.type", value: "Whitespace"))
        #expect(load(#"{"model": {"type": "WordPiece", "vocab": {"[UNK]": -4}}}"#)
            == .malformedJSON(field: "model.vocab[[UNK]]", reason: "expected a token id in 0..<10000000"))
        #expect(load("[1, 2") != nil)
        // No normalizer, pre-tokenizer or post-processor: the whole text is one word, as in HF.
        let bare = try WordPieceTokenizer(json: Data(###"{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "##b": 2, "!": 3}}}"###.utf8))
        #expect(bare.encode("ab") == [1, 2] && bare.encode("ab! A c") == [0] && bare.encode("") == [])
    }
}
