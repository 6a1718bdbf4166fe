import Foundation
import Testing
@testable import SwiftletTokenizers

/// The tiny SentencePiece-style tokenizer.json with a Metaspace pre-tokenizer, and SmolLM2 with an NFC normalizer,
/// against HF tokenizers with the same edits (scripts/fixtures/tok_reference.py).
@Suite struct NormalizerVariantTests {
    func edited(_ fixture: String, _ edit: (inout [String: Any]) -> Void) throws -> Tokenizer {
        let data = try Data(contentsOf: TestResources.fixture(fixture))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        edit(&root)
        return try Tokenizer(tokenizerJSONData: JSONSerialization.data(withJSONObject: root))
    }

    func metaspace(scheme: String, split: Bool) throws -> Tokenizer {
        try edited("tiny_spm_tokenizer.json") { root in
            root["normalizer"] = NSNull()
            root["pre_tokenizer"] = ["type": "Metaspace", "replacement": "\u{2581}", "prepend_scheme": scheme, "split": split]
        }
    }

    @Test func metaspaceFirstWithSplit() throws {
        let tokenizer = try metaspace(scheme: "first", split: true)
        #expect(tokenizer.spacePrefix == .firstUnlessSpace && tokenizer.splitsOnSpaceMarker && tokenizer.stripsLeadingSpace)
        try ReferenceCorpusTests().check(tokenizer, against: "tiny_spm_first_split")
    }

    @Test func metaspaceAlwaysWithoutSplit() throws {
        let tokenizer = try metaspace(scheme: "always", split: false)
        #expect(tokenizer.spacePrefix == .unlessSpace && !tokenizer.splitsOnSpaceMarker)
        try ReferenceCorpusTests().check(tokenizer, against: "tiny_spm_always_nosplit")
    }

    @Test func nfcNormalizer() throws {
        let tokenizer = try edited("smollm2_tokenizer.json") { $0["normalizer"] = ["type": "NFC"] }
        #expect(tokenizer.normalizesNFC)
        try ReferenceCorpusTests().check(tokenizer, against: "smollm2_nfc")
    }

    @Test func unsupportedPrependScheme() {
        #expect(throws: TokenizerError.unsupported(field: "pre_tokenizer.prepend_scheme", value: "sometimes")) {
            try metaspace(scheme: "sometimes", split: false)
        }
    }
}
