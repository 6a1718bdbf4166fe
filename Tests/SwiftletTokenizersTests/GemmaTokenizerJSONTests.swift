import Foundation
import Testing
@testable import SwiftletTokenizers

/// Gemma 3's HF tokenizer.json (BPE with 515k rank merges and byte fallback, as converted by transformers from
/// the GGUF) must give the same ids as the GGUF path. The 33 MB file is not a fixture: run
/// `python3 scripts/fixtures/tok_reference.py --cross-check` and set SWIFTLET_GEMMA_TOKENIZER_JSON=/tmp/gemma3_tokenizer.json.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SWIFTLET_GEMMA_TOKENIZER_JSON"] != nil))
struct GemmaTokenizerJSONTests {
    @Test func matchesSentencePieceReference() throws {
        let path = try #require(ProcessInfo.processInfo.environment["SWIFTLET_GEMMA_TOKENIZER_JSON"])
        let start = DispatchTime.now().uptimeNanoseconds
        let tokenizer = try Tokenizer(tokenizerJSON: URL(fileURLWithPath: path))
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        print(String(format: "loaded gemma3 tokenizer.json in %.0f ms", milliseconds))
        #expect(tokenizer.model == .llama && tokenizer.bosTokenID == 2 && tokenizer.addsBOS)
        #expect(tokenizer.vocabSize == 262_144)
        try ReferenceCorpusTests().check(tokenizer, against: "gemma3")
    }
}
