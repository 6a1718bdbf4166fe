import Foundation
import Testing
@testable import SwiftletTokenizers

/// Streaming output equals batch decoding, and never splits a UTF-8 character.
@Suite struct StreamingDetokenizerTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Streams `ids` and checks each piece and the total against `decode`.
    func checkStream(_ tokenizer: Tokenizer, _ ids: [Int], skip: Bool) throws {
        var stream = tokenizer.makeStreamingDetokenizer(skipSpecialTokens: skip)
        var pieces: [String] = []
        for id in ids { pieces.append(try stream.append(id)) }
        pieces.append(stream.finish())
        let whole = try tokenizer.decode(ids, skipSpecialTokens: skip)
        #expect(pieces.joined() == whole, "ids \(ids)")
    }

    /// Random sequences mixing byte tokens, special tokens and ordinary tokens.
    func randomSequences(_ tokenizer: Tokenizer, byteIDs: [Int], seed: UInt64) -> [[Int]] {
        var random = SplitMix(state: seed)
        let specials = (0..<min(tokenizer.vocabSize, 20)).filter { tokenizer.isSpecialToken($0) }
        return (0..<300).map { _ in
            (0..<Int.random(in: 1...12, using: &random)).map { _ -> Int in
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5: return byteIDs.randomElement(using: &random) ?? 0
                case 5: return specials.randomElement(using: &random) ?? 0
                default: return Int.random(in: 0..<tokenizer.vocabSize, using: &random)
                }
            }
        }
    }

    @Test func smolLMRandomSequences() throws {
        let tokenizer = try TestResources.smolLM()
        let byteIDs = (0..<256).compactMap { tokenizer.id(forToken: ByteLevelAlphabet.tokenText(ofBytes: [UInt8($0)])) }
        // SmolLM2's byte alphabet lacks the 21 bytes that never occur in its training text (e.g. 0xC0, 0xF5...0xFF).
        #expect(byteIDs.count == 235)
        for ids in randomSequences(tokenizer, byteIDs: byteIDs, seed: 1) {
            try checkStream(tokenizer, ids, skip: false)
            try checkStream(tokenizer, ids, skip: true)
        }
    }

    @Test func gemmaRandomSequences() throws {
        let tokenizer = try TestResources.gemma()
        let byteIDs = (0..<256).compactMap { tokenizer.id(forToken: String(format: "<0x%02X>", $0)) }
        #expect(byteIDs.count == 256)
        for ids in randomSequences(tokenizer, byteIDs: byteIDs, seed: 2) {
            try checkStream(tokenizer, ids, skip: false)
            try checkStream(tokenizer, ids, skip: true)
        }
    }

    @Test func leadingSpaceStripMatchesDecode() throws {
        let tokenizer = try Tokenizer(tokenizerJSON: TestResources.fixture("tiny_spm_tokenizer.json"))
        let ids = tokenizer.encode("Hello world 😀 中文")
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == "Hello world 😀 中文")
        for skip in [false, true] { try checkStream(tokenizer, ids, skip: skip) }
    }

    @Test func emojiFromByteTokensIsEmittedWhole() throws {
        let tokenizer = try TestResources.gemma()
        let ids = tokenizer.encode("😀", addSpecialTokens: false)
        var stream = tokenizer.makeStreamingDetokenizer()
        var pieces: [String] = []
        for id in ids { pieces.append(try stream.append(id)) }
        // Gemma has a token for this emoji; also force byte tokens below.
        #expect(pieces.joined() == "😀")
        let byteIDs = [0xF0, 0x9F, 0x98, 0x80].compactMap { tokenizer.id(forToken: String(format: "<0x%02X>", $0)) }
        var byteStream = tokenizer.makeStreamingDetokenizer()
        #expect(try byteIDs.map { try byteStream.append($0) } == ["", "", "", "😀"])
        #expect(byteStream.finish() == "")
    }

    @Test func incompleteTailIsHeldAndFlushedAsReplacement() {
        #expect(StreamingDetokenizer.completePrefixLength([0x41, 0xE4, 0xB8]) == 1)
        #expect(StreamingDetokenizer.completePrefixLength([0x41, 0xE4, 0xB8, 0xAD]) == 4)
        #expect(StreamingDetokenizer.completePrefixLength([0x41, 0xE0, 0x80]) == 3)
        #expect(StreamingDetokenizer.completePrefixLength([0xF0, 0x9F, 0x98]) == 0)
        #expect(StreamingDetokenizer.completePrefixLength([0x80, 0x80]) == 2)
    }

    @Test func invalidIDThrowsAndKeepsState() throws {
        let tokenizer = try TestResources.smolLM()
        var stream = tokenizer.makeStreamingDetokenizer()
        #expect(throws: TokenizerError.invalidTokenID(49152)) { try stream.append(49152) }
        #expect(throws: TokenizerError.invalidTokenID(-1)) { try stream.append(-1) }
        #expect(try stream.append(19556) == "Hello")
    }
}
