import Foundation
import Testing
@testable import SwiftletTokenizers

/// SmolLM2's vocabulary behind the other byte-level tokenizer.json pipelines (Llama 3 split with
/// ignore_merges, Qwen2 split, plain GPT-2 ByteLevel), against HF tokenizers with the same edits.
@Suite struct ByteLevelPipelineTests {
    /// smollm2_tokenizer.json with its pre-tokenizer replaced, as scripts/fixtures/tok_reference.py does.
    func variant(pattern: String?, ignoreMerges: Bool) throws -> Tokenizer {
        let data = try Data(contentsOf: TestResources.fixture("smollm2_tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false]
        if let pattern {
            root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": pattern], "behavior": "Isolated", "invert": false], byteLevel]]
        } else {
            var regexByteLevel = byteLevel
            regexByteLevel["use_regex"] = true
            root["pre_tokenizer"] = regexByteLevel
        }
        var model = try #require(root["model"] as? [String: Any])
        model["ignore_merges"] = ignoreMerges
        root["model"] = model
        return try Tokenizer(tokenizerJSONData: JSONSerialization.data(withJSONObject: root))
    }

    @Test func patternsMatchTheGenerator() throws {
        let data = try Data(contentsOf: TestResources.fixture("tok_patterns.json"))
        let patterns = try JSONDecoder().decode([String: String].self, from: data)
        #expect(patterns["llama3"] == PreTokenizerKind.llama3Pattern)
        #expect(patterns["qwen2"] == PreTokenizerKind.qwen2Pattern)
    }

    @Test func llama3SplitWithIgnoreMerges() throws {
        let tokenizer = try variant(pattern: PreTokenizerKind.llama3Pattern, ignoreMerges: true)
        #expect(tokenizer.preTokenizer == .llama3 && tokenizer.ignoreMerges)
        try ReferenceCorpusTests().check(tokenizer, against: "smollm2_llama3")
    }

    /// A GGUF vocabulary that names the llama-bpe pre-tokenizer gets llama.cpp's ignore_merges.
    @Test func ggufLlamaBPEVocabularyIgnoresMerges() throws {
        var vocabulary = try TestResources.ggufVocabulary(TestResources.model(TestResources.smolLMFile, fetchArgument: ""))
        vocabulary.preTokenizer = "llama-bpe"
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.preTokenizer == .llama3 && tokenizer.ignoreMerges)
        try ReferenceCorpusTests().check(tokenizer, against: "smollm2_llama3")
    }

    @Test func qwen2Split() throws {
        let tokenizer = try variant(pattern: PreTokenizerKind.qwen2Pattern, ignoreMerges: false)
        #expect(tokenizer.preTokenizer == .qwen2)
        try ReferenceCorpusTests().check(tokenizer, against: "smollm2_qwen2")
    }

    @Test func plainGPT2ByteLevel() throws {
        let tokenizer = try variant(pattern: nil, ignoreMerges: false)
        #expect(tokenizer.preTokenizer == .gpt2)
        try ReferenceCorpusTests().check(tokenizer, against: "smollm2_gpt2")
    }

    @Test func byteLevelAlphabetPinned() {
        #expect(ByteLevelAlphabet.scalarForByte[0x20] == 0x120)  // "Ġ"
        #expect(ByteLevelAlphabet.scalarForByte[0x0A] == 0x10A)  // "Ċ"
        #expect(ByteLevelAlphabet.scalarForByte[0x41] == 0x41)
        #expect(ByteLevelAlphabet.scalarForByte[0xAD] == 0x143)
        #expect(ByteLevelAlphabet.bytes(ofTokenText: "Ġworld") == Array(" world".utf8))
        #expect(ByteLevelAlphabet.bytes(ofTokenText: "中") == nil)
        #expect((0..<256).allSatisfy { ByteLevelAlphabet.byte(forScalar: ByteLevelAlphabet.scalarForByte[$0]) == UInt8($0) })
    }
}
