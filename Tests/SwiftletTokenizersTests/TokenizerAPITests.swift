import Foundation
import Testing
@testable import SwiftletTokenizers

/// Public API behaviour pinned on the real vocabularies.
@Suite struct TokenizerAPITests {
    @Test func smolLMVocabularyFacts() throws {
        let tokenizer = try TestResources.smolLM()
        #expect(tokenizer.model == .gpt2)
        #expect(tokenizer.vocabSize == 49152)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2)
        #expect(!tokenizer.addsBOS)
        #expect(tokenizer.tokenText(1) == "<|im_start|>")
        #expect(tokenizer.tokenText(49152) == nil)
        #expect(tokenizer.id(forToken: "<|im_end|>") == 2)
        #expect(tokenizer.id(forToken: "Ġworld") == 905)
        #expect(tokenizer.isSpecialToken(2) && !tokenizer.isSpecialToken(905))
        #expect(tokenizer.encode("Hello world") == [19556, 905])
    }

    @Test func smolLMSpecialTokensOnlyWhenParsing() throws {
        let tokenizer = try TestResources.smolLM()
        #expect(tokenizer.encode("<|im_end|>", parseSpecial: true) == [2])
        let plain = tokenizer.encode("<|im_end|>", parseSpecial: false)
        #expect(plain.count > 1 && !plain.contains(2))
        #expect(try tokenizer.decode(plain) == "<|im_end|>")
        #expect(try tokenizer.decode([1, 19556, 2], skipSpecialTokens: true) == "Hello")
        #expect(try tokenizer.decode([1, 19556, 2]) == "<|im_start|>Hello<|im_end|>")
    }

    @Test func gemmaVocabularyFacts() throws {
        let tokenizer = try TestResources.gemma()
        #expect(tokenizer.model == .llama)
        #expect(tokenizer.vocabSize == 262_144)
        #expect(tokenizer.bosTokenID == 2 && tokenizer.eosTokenID == 1 && tokenizer.paddingTokenID == 0)
        #expect(tokenizer.addsBOS)
        #expect(tokenizer.encode("Hello world") == [2, 9259, 1902])
        #expect(tokenizer.encode("Hello world", addSpecialTokens: false) == [9259, 1902])
        #expect(tokenizer.id(forToken: "<start_of_turn>") == 105)
        #expect(tokenizer.encode("<start_of_turn>", addSpecialTokens: false, parseSpecial: true) == [105])
        // User-defined tokens ("\n", runs of spaces, HTML tags) are matched even without special parsing.
        #expect(tokenizer.encode("\n", addSpecialTokens: false) == [107])
        #expect(try tokenizer.decode([2, 9259, 1902]) == "<bos>Hello world")
    }

    @Test func configOverridesSpecialTokens() throws {
        let config = #"{"bos_token":"<|im_start|>","eos_token":{"content":"<|im_end|>"},"pad_token":null,"add_bos_token":true}"#
        let tokenizer = try Tokenizer(
            tokenizerJSON: TestResources.fixture("smollm2_tokenizer.json"),
            config: nil)
        #expect(tokenizer.bosTokenID == nil && !tokenizer.addsBOS)
        let configured = try Tokenizer(
            tokenizerJSONData: Data(contentsOf: TestResources.fixture("smollm2_tokenizer.json")),
            configData: Data(config.utf8))
        #expect(configured.bosTokenID == 1 && configured.eosTokenID == 2 && configured.addsBOS)
        #expect(configured.encode("Hello world") == [1, 19556, 905])
        let badConfig = #"{"eos_token":"<nope>"}"#
        #expect(throws: TokenizerError.malformedJSON(field: "eos_token", reason: "token '<nope>' is not in the vocabulary")) {
            try Tokenizer(
                tokenizerJSONData: Data(contentsOf: TestResources.fixture("smollm2_tokenizer.json")),
                configData: Data(badConfig.utf8))
        }
    }

    @Test func heapAndScanMergesAgree() throws {
        let tokenizer = try TestResources.smolLM()
        let text = Array("The quick brown fox, naïve café 😀 中文 1234 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".utf8)
        var random = StreamingDetokenizerTests.SplitMix(state: 7)
        var numMerged = 0
        for _ in 0..<200 {
            let start = Int.random(in: 0..<text.count, using: &random)
            let length = Int.random(in: 1...min(60, text.count - start), using: &random)
            let ids = text[start..<(start + length)].map { tokenizer.byteSymbolIDs[Int($0)] }
            var scanned = ids, heaped = ids
            tokenizer.merges.applyByScan(&scanned, from: 0)
            tokenizer.merges.applyByHeap(&heaped, from: 0)
            #expect(scanned == heaped)
            numMerged += ids.count - scanned.count
        }
        #expect(numMerged > 1000)
    }
}
