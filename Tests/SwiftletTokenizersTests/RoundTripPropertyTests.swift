import Foundation
import Testing
@testable import SwiftletTokenizers

/// decode(encode(text)) == text for random text over a mixed scalar pool, and hostile JSON never traps.
@Suite struct RoundTripPropertyTests {
    /// Scalars that stress pre-tokenizers, byte fallback and multi-byte merges.
    static let pool: [Unicode.Scalar] = {
        let ranges: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x09...0x0A, 0x0D...0x0D, 0xA0...0xFF, 0x300...0x36F, 0x391...0x3C9, 0x410...0x44F,
            0x5D0...0x5EA, 0x627...0x64A, 0x905...0x939, 0x3041...0x3096, 0x4E00...0x4E40, 0xAC00...0xAC20,
            0x1F600...0x1F64F, 0x1F3FB...0x1F3FF, 0x200B...0x200D, 0x2000...0x200A, 0xFE0F...0xFE0F, 0x10000...0x10010,
        ]
        return ranges.flatMap { $0.compactMap(Unicode.Scalar.init) }
    }()

    func randomTexts(seed: UInt64, count: Int) -> [String] {
        var random = StreamingDetokenizerTests.SplitMix(state: seed)
        return (0..<count).map { _ in
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                scalars.append(Self.pool.randomElement(using: &random) ?? " ")
            }
            return String(scalars)
        }
    }

    @Test func gemmaRoundTrips() throws {
        let tokenizer = try TestResources.gemma()
        for text in randomTexts(seed: 11, count: 400) {
            let ids = tokenizer.encode(text, addSpecialTokens: false)
            #expect(try tokenizer.decode(ids) == text, "\(text.debugDescription)")
        }
    }

    @Test func smolLMRoundTrips() throws {
        let tokenizer = try TestResources.smolLM()
        for text in randomTexts(seed: 12, count: 400) {
            let ids = tokenizer.encode(text)
            #expect(try tokenizer.decode(ids) == text, "\(text.debugDescription)")
        }
    }

    @Test func tinySentencePieceRoundTrips() throws {
        let tokenizer = try Tokenizer(tokenizerJSON: TestResources.fixture("tiny_spm_tokenizer.json"))
        for text in randomTexts(seed: 13, count: 400) {
            let ids = tokenizer.encode(text)
            #expect(ids.first == 1)
            #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == text, "\(text.debugDescription)")
        }
    }

    @Test func mutatedTokenizerJSONNeverTraps() throws {
        let original = try Data(contentsOf: TestResources.fixture("tiny_spm_tokenizer.json"))
        var random = StreamingDetokenizerTests.SplitMix(state: 14)
        var numLoaded = 0
        for _ in 0..<300 {
            var bytes = [UInt8](original)
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<bytes.count, using: &random)
                if Bool.random(using: &random) {
                    bytes[index] = UInt8.random(in: 0...255, using: &random)
                } else {
                    bytes.removeSubrange(index..<min(bytes.count, index + Int.random(in: 1...50, using: &random)))
                }
            }
            if let tokenizer = try? Tokenizer(tokenizerJSONData: Data(bytes)) {
                numLoaded += 1
                _ = tokenizer.encode("Hello world 😀", parseSpecial: true)
            }
        }
        #expect(numLoaded < 300)
    }
}
