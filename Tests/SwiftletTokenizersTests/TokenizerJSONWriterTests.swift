import Foundation
import Testing
@testable import SwiftletTokenizers

/// tokenizer.json written from GGUF vocabularies loads back into a tokenizer that gives the reference ids.
/// Set SWIFTLET_TOKENIZER_JSON_OUT=DIR to keep the written files (DIR/smollm2, DIR/gemma3...) for
/// scripts/fixtures/tok_check_written_json.py, which checks them with HF `tokenizers`.
@Suite struct TokenizerJSONWriterTests {
    /// Writes both files, keeps them when asked, and loads them back.
    func roundTrip(_ vocabulary: TokenizerVocabulary, name: String) throws -> Tokenizer {
        let writer = try TokenizerJSONWriter(vocabulary: vocabulary)
        let json = writer.tokenizerJSON()
        let config = writer.tokenizerConfigJSON()
        #expect(writer.tokenizerJSON() == json)  // deterministic
        keep(json, config, name: name)
        return try Tokenizer(tokenizerJSONData: json, configData: config)
    }

    /// Saves the files under $SWIFTLET_TOKENIZER_JSON_OUT/name when that variable is set.
    func keep(_ json: Data, _ config: Data, name: String) {
        guard let out = ProcessInfo.processInfo.environment["SWIFTLET_TOKENIZER_JSON_OUT"] else { return }
        let folder = URL(fileURLWithPath: out).appendingPathComponent(name)
        #expect(throws: Never.self) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try json.write(to: folder.appendingPathComponent("tokenizer.json"))
            try config.write(to: folder.appendingPathComponent("tokenizer_config.json"))
        }
    }

    static func smolLMVocabulary(pre: String = "smollm") throws -> TokenizerVocabulary {
        var vocabulary = try TestResources.ggufVocabulary(TestResources.model(TestResources.smolLMFile, fetchArgument: ""))
        vocabulary.preTokenizer = pre
        return vocabulary
    }

    @Test func smolLMMatchesHFTokenizers() throws {
        let vocabulary = try Self.smolLMVocabulary()
        let tokenizer = try roundTrip(vocabulary, name: "smollm2")
        #expect(tokenizer.model == .gpt2 && tokenizer.vocabSize == 49_152 && !tokenizer.addsBOS && !tokenizer.addsEOS)
        #expect(tokenizer.bosTokenID == 1 && tokenizer.eosTokenID == 2 && tokenizer.paddingTokenID == 2)
        // SmolLM2's byte alphabet lacks 21 bytes (0x04, 0xF1...): naming unk_token would make the loader
        // emit it for them, where the vocabulary (and HF) drop them, so the config leaves it out.
        #expect(tokenizer.unknownTokenID == nil)
        #expect(tokenizer.isSpecialToken(1) && !tokenizer.isSpecialToken(17))
        try ReferenceCorpusTests().check(tokenizer, against: "smollm2")
        // The written file is valid JSON for Foundation's parser too, and its merges are GGUF's, in order.
        let json = try TokenizerJSONWriter(vocabulary: vocabulary).tokenizerJSON()
        let root = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let model = try #require(root["model"] as? [String: Any])
        let merges = try #require(model["merges"] as? [[String]])
        #expect(merges.count == vocabulary.merges?.count)
        #expect(merges.first == ["Ġ", "t"] && merges.last.map { $0.joined(separator: " ") } == vocabulary.merges?.last)
        #expect((root["added_tokens"] as? [Any])?.count == 17)
    }

    @Test(arguments: [("gpt-2", "smollm2_gpt2"), ("llama-bpe", "smollm2_llama3"), ("qwen2", "smollm2_qwen2")])
    func byteLevelFamiliesMatchHFTokenizers(pre: String, reference: String) throws {
        let tokenizer = try roundTrip(Self.smolLMVocabulary(pre: pre), name: reference)
        #expect(tokenizer.ignoreMerges == (pre == "llama-bpe"))
        try ReferenceCorpusTests().check(tokenizer, against: reference)
    }

    /// Gemma 3's 262k vocabulary: score-derived merges must reproduce the sentencepiece reference exactly.
    @Test func gemmaMatchesSentencePiece() throws {
        let vocabulary = try TestResources.ggufVocabulary(TestResources.model(TestResources.gemmaFile, fetchArgument: "gemma3"))
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { clock = now }
            return Double(now - clock) / 1e6
        }
        let writer = try TokenizerJSONWriter(vocabulary: vocabulary)
        let prepared = lap()
        let json = writer.tokenizerJSON()
        let written = lap()
        let tokenizer = try Tokenizer(tokenizerJSONData: json, configData: writer.tokenizerConfigJSON())
        print(String(format: "gemma3: merges derived in %.0f ms, %d-byte tokenizer.json written in %.0f ms, loaded in %.0f ms",
                     prepared, json.count, written, lap()))
        keep(json, writer.tokenizerConfigJSON(), name: "gemma3")
        #expect(tokenizer.model == .llama && tokenizer.vocabSize == 262_144 && tokenizer.addsBOS)
        #expect(tokenizer.bosTokenID == 2 && tokenizer.eosTokenID == 1 && tokenizer.unknownTokenID == 3)
        try ReferenceCorpusTests().check(tokenizer, against: "gemma3")
        // Same ids as the score-merging tokenizer built from the vocabulary, on text with runs of one character.
        let direct = try TestResources.gemma()
        for text in ["=========", "-- -- ----", "aaaaaaaaaaaa", "\u{2581}\u{2581}\u{2581}x", "ééééé", "😀😀😀", "............"] {
            #expect(tokenizer.encode(text) == direct.encode(text), Comment(rawValue: text.debugDescription))
        }
    }

    // MARK: - Hand-made vocabularies with exact expected text

    /// SentencePiece-style: unk, BOS/EOS, two byte tokens, letters, a user-defined token full of
    /// characters JSON must escape, and merged tokens whose scores order the merges.
    static let tiny = TokenizerVocabulary(
        model: .llama,
        tokens: ["<unk>", "<s>", "</s>", "<0x01>", "<0x0A>", "\u{2581}", "a", "b", "c", "\u{1}\t\"\\/\u{7F}",
                 "bc", "ab", "abc", "\u{2581}a"],
        scores: [0, 0, 0, 0, 0, -10, -11, -12, -13, 0, -1, -2, -3, -4],
        tokenTypes: [2, 3, 3, 6, 6, 1, 1, 1, 1, 4, 1, 1, 1, 1],
        bosTokenID: 1, eosTokenID: 2, unknownTokenID: 0, addBOS: true)

    @Test func tinySentencePieceJSONText() throws {
        let text = String(decoding: try TokenizerJSONWriter(vocabulary: Self.tiny).tokenizerJSON(), as: UTF8.self)
        let entry = { (id: Int, content: String, special: Bool) in
            #"{"id":\#(id),"content":"\#(content)","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":\#(special)}"#
        }
        let added = [entry(0, "<unk>", true), entry(1, "<s>", true), entry(2, "</s>", true), entry(9, #"\u0001\t\"\\/\#u{7F}"#, false)]
        #expect(text.hasPrefix(#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":["# + added.joined(separator: ",") + "],"))
        #expect(text.contains(#","normalizer":{"type":"Replace","pattern":{"String":" "},"content":"▁"},"pre_tokenizer":null,"#))
        #expect(text.contains(#""post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"pair":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"<s>","type_id":1}},{"Sequence":{"id":"B","type_id":1}}],"special_tokens":{"<s>":{"id":"<s>","ids":[1],"tokens":["<s>"]}}},"#))
        #expect(text.contains(#""decoder":{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"}]},"#))
        #expect(text.contains(#""model":{"type":"BPE","dropout":null,"unk_token":"<unk>","continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":true,"ignore_merges":false,"vocab":{"<unk>":0,"<s>":1,"#))
        #expect(text.contains(#""c":8,"\u0001\t\"\\/\#u{7F}":9,"bc":10,"#))
        // Best score first; "abc" from its longer left part first.
        #expect(text.hasSuffix(#""merges":[["b","c"],["a","b"],["ab","c"],["a","bc"],["▁","a"]]}}"# + "\n"))
    }

    @Test func tinySentencePieceEncodesAsTheVocabularyDoes() throws {
        let written = try roundTrip(Self.tiny, name: "tiny_llama")
        let direct = try Tokenizer(vocabulary: Self.tiny)
        let cases: [(String, [Int])] = [
            ("abc", [1, 12]), (" abc", [1, 5, 12]), ("ab c", [1, 11, 5, 8]), ("x\n", [1, 0, 4]),
            ("a\u{1}\t\"\\/\u{7F}b", [1, 6, 9, 7]), ("<s>a", [1, 0, 0, 0, 6]),
        ]
        for (text, ids) in cases {
            #expect(written.encode(text) == ids, Comment(rawValue: text.debugDescription))
            #expect(direct.encode(text) == ids, Comment(rawValue: text.debugDescription))
        }
        #expect(written.encode("<s>a", parseSpecial: true) == [1, 1, 6])
        #expect(try written.decode([1, 5, 12, 4], skipSpecialTokens: true) == " abc\n")
        #expect(written.isSpecialToken(0) && written.isSpecialToken(2) && !written.isSpecialToken(9))
    }

    @Test func spacePrefixAddsPrependAndStrip() throws {
        var vocabulary = Self.tiny
        vocabulary.addSpacePrefix = true
        vocabulary.addBOS = false
        vocabulary.addEOS = true
        let writer = try TokenizerJSONWriter(vocabulary: vocabulary)
        let text = String(decoding: writer.tokenizerJSON(), as: UTF8.self)
        #expect(text.contains(#""normalizer":{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]}"#))
        #expect(text.contains(#"{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]}"#))
        #expect(text.contains(#""single":[{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"</s>","type_id":0}}]"#))
        let tokenizer = try Tokenizer(tokenizerJSONData: writer.tokenizerJSON(), configData: writer.tokenizerConfigJSON())
        #expect(tokenizer.encode("a bc") == [13, 5, 10, 2])
        #expect(try tokenizer.decode([13, 5, 10]) == "a bc")
    }

    /// Byte-level with BOS and the Llama 3 family: Split regex, ignore_merges, ByteLevel + template processor.
    static let tinyByteLevel = TokenizerVocabulary(
        model: .gpt2, preTokenizer: "llama-bpe", tokens: ["a", "b", "ab", "Ġ", "<|begin|>", "<think>"],
        tokenTypes: [1, 1, 1, 1, 3, 4], merges: ["a b"], bosTokenID: 4, eosTokenID: 4, unknownTokenID: 0, addBOS: true)

    @Test func tinyByteLevelJSONText() throws {
        let writer = try TokenizerJSONWriter(vocabulary: Self.tinyByteLevel)
        let text = String(decoding: writer.tokenizerJSON(), as: UTF8.self)
        #expect(text.contains(#""normalizer":null,"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"},"behavior":"Isolated","invert":false},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]},"#))
        #expect(text.contains(#""post_processor":{"type":"Sequence","processors":[{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true},{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|begin|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],"#))
        #expect(text.contains(#""decoder":{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true},"model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":false,"ignore_merges":true,"vocab":{"a":0,"b":1,"ab":2,"Ġ":3,"<|begin|>":4,"<think>":5},"merges":[["a","b"]]}}"#))
        #expect(text.contains(#"{"id":5,"content":"<think>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":false}"#))
        // The alphabet lacks most bytes, so unk_token stays out of the config (bytes are dropped, not unk).
        let config = String(decoding: writer.tokenizerConfigJSON(chatTemplate: "{{ bos_token }}\n", modelMaxLength: 4096), as: UTF8.self)
        #expect(config == #"{"add_bos_token":true,"add_eos_token":false,"bos_token":"<|begin|>","chat_template":"{{ bos_token }}\n","clean_up_tokenization_spaces":false,"eos_token":"<|begin|>","model_max_length":4096,"tokenizer_class":"PreTrainedTokenizerFast"}"# + "\n")
        let tokenizer = try Tokenizer(tokenizerJSONData: writer.tokenizerJSON(), configData: Data(config.utf8))
        // Words "ab" (whole, ignore_merges), " a", <think>, "b", "<|", "begin", "|>", "c"; bytes outside the alphabet drop.
        #expect(tokenizer.encode("ab a<think>b<|begin|>c") == [4, 2, 3, 0, 5, 1, 1])
        #expect(tokenizer.encode("ab a<think>b<|begin|>c", parseSpecial: true) == [4, 2, 3, 0, 5, 1, 4])
        #expect(try Tokenizer(vocabulary: Self.tinyByteLevel).encode("ab a<think>b<|begin|>c") == [4, 2, 3, 0, 5, 1, 1])
    }

    @Test func everyControlCharacterIsEscaped() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let vocabulary = TokenizerVocabulary(model: .gpt2, tokens: [controls, "\u{2028}é"])
        let text = String(decoding: try TokenizerJSONWriter(vocabulary: vocabulary).tokenizerJSON(), as: UTF8.self)
        let escaped = #"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
        #expect(text.contains(#""vocab":{""# + escaped + #"":0,"\#u{2028}é":1}"#))
        #expect(!text.utf8.contains { $0 < 0x20 && $0 != 0x0A })
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let vocab = try #require((root["model"] as? [String: Any])?["vocab"] as? [String: Int])
        #expect(vocab[controls] == 0 && vocab["\u{2028}é"] == 1)
    }

    @Test func invalidVocabulariesThrow() {
        var bad = Self.tinyByteLevel
        bad.preTokenizer = "tekken"
        #expect(throws: TokenizerError.unsupported(field: "tokenizer.ggml.pre", value: "tekken")) {
            try TokenizerJSONWriter(vocabulary: bad)
        }
        bad = Self.tinyByteLevel
        bad.merges = ["a b", "b x"]
        #expect(throws: TokenizerError.invalidVocabulary("merge 1 'b x' names a token missing from the vocabulary")) {
            try TokenizerJSONWriter(vocabulary: bad)
        }
        bad.merges = ["ab"]
        #expect(throws: TokenizerError.invalidVocabulary("merge 0 'ab' is not two tokens separated by a space")) {
            try TokenizerJSONWriter(vocabulary: bad)
        }
        bad = Self.tiny
        bad.scores = [0]
        #expect(throws: TokenizerError.invalidVocabulary("1 scores for 14 tokens")) { try TokenizerJSONWriter(vocabulary: bad) }
        bad = Self.tiny
        bad.eosTokenID = 14
        #expect(throws: TokenizerError.invalidVocabulary("eos token id 14 is outside 0..<14")) { try TokenizerJSONWriter(vocabulary: bad) }
    }
}
