import Foundation
import Testing
@testable import SwiftletTokenizers

/// The hand-written split scanners against HF tokenizers' regex splits on the reference corpus.
@Suite struct PreTokenizerScannerTests {
    static let kinds: [(String, PreTokenizerKind)] = [("gpt2", .gpt2), ("smollm", .smollm), ("llama3", .llama3), ("qwen2", .qwen2)]

    func words(_ text: String, kind: PreTokenizerKind) -> [String] {
        var scanner = PreTokenizerScanner(kind: kind)
        var ends: [Int] = []
        var copy = text
        return copy.withUTF8 { bytes in
            scanner.split(bytes, into: &ends)
            var start = 0
            return ends.map { end in
                defer { start = end }
                return String(decoding: bytes[start..<end], as: UTF8.self)
            }
        }
    }

    @Test(arguments: kinds.map(\.0))
    func splitsMatchHFRegex(family: String) throws {
        let data = try Data(contentsOf: TestResources.fixture("tok_expected_pretokenize.json"))
        let expected = try JSONDecoder().decode([String: [[String]]].self, from: data)
        let corpus = try TestResources.expected("smollm2").map(\.text)
        let pieces = try #require(expected[family])
        let kind = try #require(Self.kinds.first { $0.0 == family }?.1)
        #expect(pieces.count == corpus.count)
        for (text, want) in zip(corpus, pieces) {
            #expect(words(text, kind: kind) == want, "\(text.debugDescription)")
        }
    }

    @Test func pinnedSplits() {
        #expect(words("Hello  world 123", kind: .gpt2) == ["Hello", " ", " world", " 123"])
        #expect(words("a 12b", kind: .smollm) == ["a", " ", "1", "2", "b"])
        #expect(words("I'M 12345\n\n x", kind: .llama3) == ["I", "'M", " ", "123", "45", "\n\n", " x"])
        #expect(words("ab 12", kind: .qwen2) == ["ab", " ", "1", "2"])
    }

    @Test func ggufNamesMapToKinds() throws {
        #expect(try PreTokenizerKind(ggufName: "smollm") == .smollm)
        #expect(try PreTokenizerKind(ggufName: "llama-bpe") == .llama3)
        #expect(try PreTokenizerKind(ggufName: "qwen2") == .qwen2)
        #expect(try PreTokenizerKind(ggufName: "gpt-2") == .gpt2)
        #expect(try PreTokenizerKind(ggufName: "default") == .gpt2)
        #expect(throws: TokenizerError.unsupported(field: "tokenizer.ggml.pre", value: "deepseek-coder")) {
            try PreTokenizerKind(ggufName: "deepseek-coder")
        }
    }
}
