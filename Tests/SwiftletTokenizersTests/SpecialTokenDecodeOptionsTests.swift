import Testing
@testable import SwiftletTokenizers

/// `skipSpecialTokens` and `spacesBetweenSpecialTokens` in `decode` and the streaming detokenizer.
@Suite struct SpecialTokenDecodeOptionsTests {
    /// Byte-level: ids 0 "a", 1 "b", 2 "ab", 3 "Ġ" (space), 4 "<|end|>" (control),
    /// 5 "<|start|>" (control), 6 "<think>" (user-defined: ordinary text for spacing).
    static let vocabulary = TokenizerVocabulary(
        model: .gpt2, preTokenizer: "llama-bpe", tokens: ["a", "b", "ab", "Ġ", "<|end|>", "<|start|>", "<think>"],
        tokenTypes: [1, 1, 1, 1, 3, 3, 4], merges: ["a b"], bosTokenID: 5, eosTokenID: 4)

    static let ids = [2, 4, 5, 3, 1, 6, 0, 4]

    func streamed(_ tokenizer: Tokenizer, _ ids: [Int], skip: Bool, spaces: Bool) throws -> [String] {
        var stream = tokenizer.makeStreamingDetokenizer(skipSpecialTokens: skip, spacesBetweenSpecialTokens: spaces)
        var pieces = try ids.map { try stream.append($0) }
        pieces.append(stream.finish())
        return pieces
    }

    @Test func decodeHonoursBothOptions() throws {
        let tokenizer = try Tokenizer(vocabulary: Self.vocabulary)
        #expect(try tokenizer.decode(Self.ids) == "ab<|end|><|start|> b<think>a<|end|>")
        #expect(try tokenizer.decode(Self.ids, skipSpecialTokens: true) == "ab b<think>a")
        // Special tokens are their own segments, joined to neighbours with one space (HF slow decode).
        #expect(try tokenizer.decode(Self.ids, spacesBetweenSpecialTokens: true) == "ab <|end|> <|start|>  b<think>a <|end|>")
        // Skipped special tokens leave no spaces behind.
        #expect(try tokenizer.decode(Self.ids, skipSpecialTokens: true, spacesBetweenSpecialTokens: true) == "ab b<think>a")
        // A leading special token gets no space before it.
        #expect(try tokenizer.decode([5, 0], spacesBetweenSpecialTokens: true) == "<|start|> a")
    }

    @Test func streamingMatchesDecodeForEachOption() throws {
        let tokenizer = try Tokenizer(vocabulary: Self.vocabulary)
        #expect(try streamed(tokenizer, Self.ids, skip: false, spaces: true)
            == ["ab", " <|end|>", " <|start|>", "  ", "b", "<think>", "a", " <|end|>", ""])
        for skip in [false, true] {
            for spaces in [false, true] {
                let whole = try tokenizer.decode(Self.ids, skipSpecialTokens: skip, spacesBetweenSpecialTokens: spaces)
                #expect(try streamed(tokenizer, Self.ids, skip: skip, spaces: spaces).joined() == whole)
            }
        }
        // finish() resets: the next sequence starts without a separating space.
        var stream = tokenizer.makeStreamingDetokenizer(spacesBetweenSpecialTokens: true)
        _ = try stream.append(0)
        _ = stream.finish()
        #expect(try stream.append(4) == "<|end|>")
    }

    /// SmolLM2: "<|im_end|>" (2) and "<|im_start|>" (1) are control tokens.
    @Test func smolLMSpecialTokensInText() throws {
        let tokenizer = try TestResources.smolLM()
        let ids = tokenizer.encode("Hi") + [2, 1] + tokenizer.encode("there")
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true, spacesBetweenSpecialTokens: true) == "Hithere")
        #expect(try tokenizer.decode(ids) == "Hi<|im_end|><|im_start|>there")
        #expect(try tokenizer.decode(ids, spacesBetweenSpecialTokens: true) == "Hi <|im_end|> <|im_start|> there")
        #expect(try streamed(tokenizer, ids, skip: false, spaces: true).joined() == "Hi <|im_end|> <|im_start|> there")
    }
}
