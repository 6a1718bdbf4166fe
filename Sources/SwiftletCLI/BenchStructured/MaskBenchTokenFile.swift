import Foundation
import Swiftlet
import SwiftletJSON

/// The MaskBench run's inputs as token ids, for a peer engine to run the same protocol on the same
/// tokens (scripts/structured/llguidance_maskbench.py): JSON lines, first the vocabulary (each
/// token's bytes in hex; a special token's text behind an `ff` byte, as llguidance marks them) and
/// the end-of-sequence ids, then one line per schema with each instance's tokens.
struct MaskBenchTokenFile {
    struct Header: Encodable {
        var vocab: [String]
        var eos: [Int]
    }

    struct Case: Encodable {
        var name: String
        /// The schema as JSON text.
        var schema: String
        var tests: [Test]
    }

    struct Test: Encodable {
        var valid: Bool
        var tokens: [Int]
    }

    static func write(cases: [MaskBenchData.Case], tokenizer: Tokenizer, eos: [Int], to path: String) throws {
        var output = Data()
        func line(_ value: some Encodable) throws {
            output.append(contentsOf: try CompactJSONEncoder().encode(value))
            output.append(0x0A)
        }
        let vocab = (0..<tokenizer.vocabSize).map { id in
            let bytes = tokenizer.tokenBytes(id) ?? [0xFF] + Array((tokenizer.tokenText(id) ?? "").utf8)
            return bytes.map { String(format: "%02x", $0) }.joined()
        }
        try line(Header(vocab: vocab, eos: eos))
        for item in cases {
            try line(Case(name: item.name, schema: PythonJSONText.text(of: item.schema), tests: item.instanceTexts.map { test in
                Test(valid: test.valid, tokens: tokenizer.encode(test.text, addSpecialTokens: false))
            }))
        }
        try output.write(to: URL(fileURLWithPath: path))
    }
}
