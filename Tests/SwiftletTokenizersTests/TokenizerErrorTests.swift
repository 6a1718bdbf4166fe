import Foundation
import Testing
@testable import SwiftletTokenizers

/// Malformed inputs throw typed errors naming the field; nothing traps.
@Suite struct TokenizerErrorTests {
    func load(_ json: String) throws(TokenizerError) -> Tokenizer {
        try Tokenizer(tokenizerJSONData: Data(json.utf8))
    }

    static let byteLevel = #"{"type":"ByteLevel","add_prefix_space":false,"use_regex":true}"#

    @Test func notJSON() {
        #expect { try load("{not json") } throws: { error in
            guard case TokenizerError.malformedJSON(let field, _) = error else { return false }
            return field == "(root)"
        }
    }

    @Test func missingModel() {
        #expect(throws: TokenizerError.malformedJSON(field: "model", reason: "expected an object")) {
            try load(#"{"added_tokens":[]}"#)
        }
    }

    @Test func unknownModelType() {
        #expect(throws: TokenizerError.unsupported(field: "model.type", value: "Unigram")) {
            try load(#"{"model":{"type":"Unigram","vocab":[]}}"#)
        }
    }

    @Test func unknownPreTokenizer() {
        let json = #"{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Whitespace"},"# + Self.byteLevel + "]}}"
        #expect(throws: TokenizerError.unsupported(field: "pre_tokenizer", value: "Whitespace+ByteLevel")) {
            try load(json)
        }
    }

    @Test func unknownSplitPattern() {
        let json = #"{"model":{"type":"BPE","vocab":{"a":0}},"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\w+"}},{"type":"ByteLevel","use_regex":false}]}}"#
        #expect(throws: TokenizerError.unsupported(field: "pre_tokenizer.pretokenizers[0].pattern", value: #"\w+"#)) {
            try load(json)
        }
    }

    @Test func badVocabID() {
        let json = #"{"model":{"type":"BPE","vocab":{"a":"zero"}},"pre_tokenizer":"# + Self.byteLevel + "}"
        #expect(throws: TokenizerError.malformedJSON(field: "model.vocab[a]", reason: "expected a token id in 0..<10000000")) {
            try load(json)
        }
    }

    @Test func mergeWithUnknownToken() {
        let json = #"{"model":{"type":"BPE","vocab":{"a":0,"b":1},"merges":["a c"]},"pre_tokenizer":"# + Self.byteLevel + "}"
        #expect(throws: TokenizerError.invalidVocabulary("merge 0 'a c' names a token missing from the vocabulary")) {
            try load(json)
        }
    }

    @Test func badAddedToken() {
        let json = #"{"model":{"type":"BPE","vocab":{"a":0}},"added_tokens":[{"id":-4,"content":"x"}],"pre_tokenizer":"# + Self.byteLevel + "}"
        #expect(throws: TokenizerError.malformedJSON(field: "added_tokens[0].id", reason: "expected a token id in 0..<10000000")) {
            try load(json)
        }
    }

    @Test func inconsistentVocabularyArrays() {
        let vocabulary = TokenizerVocabulary(model: .llama, tokens: ["a", "b"], scores: [0])
        #expect(throws: TokenizerError.invalidVocabulary("1 scores for 2 tokens")) { try Tokenizer(vocabulary: vocabulary) }
        let badBOS = TokenizerVocabulary(model: .llama, tokens: ["a"], bosTokenID: 7)
        #expect(throws: TokenizerError.invalidVocabulary("bos token id 7 is outside 0..<1")) { try Tokenizer(vocabulary: badBOS) }
        let badPre = TokenizerVocabulary(model: .gpt2, preTokenizer: "mystery", tokens: ["a"])
        #expect(throws: TokenizerError.unsupported(field: "tokenizer.ggml.pre", value: "mystery")) { try Tokenizer(vocabulary: badPre) }
    }

    @Test func decodeRejectsOutOfRangeIDs() throws {
        let tokenizer = try TestResources.gemma()
        #expect(throws: TokenizerError.invalidTokenID(262_144)) { try tokenizer.decode([2, 262_144]) }
        #expect(throws: TokenizerError.invalidTokenID(-3)) { try tokenizer.decode([-3]) }
    }

    @Test func errorDescriptionsNameTheField() {
        #expect(TokenizerError.malformedJSON(field: "model.vocab", reason: "expected an object").description
            == "tokenizer JSON: field 'model.vocab': expected an object")
        #expect(TokenizerError.invalidTokenID(5).description == "token id 5 is outside the vocabulary")
    }
}

extension TokenizerErrorTests {
    @Test func subwordAffixesAreUnsupported() {
        let json = #"{"model":{"type":"BPE","vocab":{"a":0},"continuing_subword_prefix":"@@"},"pre_tokenizer":"# + Self.byteLevel + "}"
        #expect(throws: TokenizerError.unsupported(field: "model.continuing_subword_prefix", value: "@@")) {
            try load(json)
        }
    }
}
