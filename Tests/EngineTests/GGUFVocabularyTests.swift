import Testing
@testable import Engine
import ModelFormats
import SwiftletTokenizers

/// Reading tokenizer.ggml.* metadata: values taken as they are, bad values named.
@Suite struct GGUFVocabularyTests {
    static let tokens: GGUFValue = .array(.strings(["<unk>", "<s>", "</s>", "a", "b"]))

    @Test func readsArraysIdsAndFlags() throws {
        let vocabulary = try ModelFiles.vocabulary(gguf: [
            "tokenizer.ggml.model": .string("llama"), "tokenizer.ggml.tokens": Self.tokens,
            "tokenizer.ggml.scores": .array(.float32s([0, 0, 0, -1, -2])),
            "tokenizer.ggml.token_type": .array(.int32s([2, 3, 3, 1, 1])),
            "tokenizer.ggml.bos_token_id": .uint32(1), "tokenizer.ggml.eos_token_id": .uint32(2),
            "tokenizer.ggml.add_bos_token": .bool(false),
        ], path: "m.gguf")
        #expect(vocabulary.model == .llama && vocabulary.preTokenizer == "default")
        #expect(vocabulary.scores == [0, 0, 0, -1, -2] && vocabulary.tokenTypes == [2, 3, 3, 1, 1])
        #expect(vocabulary.bosTokenID == 1 && vocabulary.eosTokenID == 2)
        #expect(!vocabulary.addBOS && !vocabulary.addEOS)
        #expect(vocabulary.addSpacePrefix)  // the SentencePiece default when the flag is absent
    }

    @Test func errorsNameTheField() {
        func message(_ metadata: [String: GGUFValue]) -> String {
            do { _ = try ModelFiles.vocabulary(gguf: metadata, path: "m.gguf"); return "no error" } catch { return "\(error)" }
        }
        #expect(message([:]) == "m.gguf: field tokenizer.ggml.model: missing: the file carries no tokenizer")
        #expect(message(["tokenizer.ggml.model": .string("bert")])
            == "m.gguf: tokenizer model 'bert' is not supported (supported: gpt2, llama)")
        #expect(message(["tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.tokens": .array(.int32s([1]))])
            == "m.gguf: field tokenizer.ggml.tokens: missing or not an array of strings")
        #expect(message(["tokenizer.ggml.model": .string("llama"), "tokenizer.ggml.tokens": Self.tokens,
                         "tokenizer.ggml.scores": .array(.float32s([0]))])
            == "m.gguf: field tokenizer.ggml.scores: 1 entries for 5 tokens")
        #expect(message(["tokenizer.ggml.model": .string("gpt2"), "tokenizer.ggml.tokens": Self.tokens,
                         "tokenizer.ggml.eos_token_id": .uint32(5)])
            == "m.gguf: field tokenizer.ggml.eos_token_id: not a token id below 5")
    }
}
