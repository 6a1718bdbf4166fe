import Foundation
import Swiftlet
import Testing
@testable import SwiftletCLI

/// Prompts built as text re-encode to exactly the requested token counts, with one shared prefix.
@Suite struct BenchServeDatasetTests {
    static let modelPath = CLITests.repoRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path

    @Test func promptsHaveExactTokenCountsAndASharedPrefix() throws {
        try #require(FileManager.default.fileExists(atPath: Self.modelPath), "missing \(Self.modelPath): run scripts/fetch-model")
        let tokenizer = try ModelFiles.open(Self.modelPath).loadTokenizer()
        let dataset = try BenchServeDataset(tokenizer: tokenizer)
        let prompts = try dataset.prompts(numPrompts: 5, inputLen: 40, sharedPrefixLen: 24, seed: 7)
        #expect(prompts.count == 5)
        let encoded = prompts.map { tokenizer.encode($0.text, addSpecialTokens: false) }
        for (prompt, ids) in zip(prompts, encoded) {
            #expect(ids.count == 64)
            #expect(prompt.promptLen == 64)
            #expect(Array(ids.prefix(24)) == Array(encoded[0].prefix(24)))
        }
        // The distinct parts differ from prompt to prompt.
        #expect(Set(encoded.map { Array($0.dropFirst(24)) }).count == 5)
        // Same seed, same prompts; another seed, other prompts.
        #expect(try dataset.prompts(numPrompts: 5, inputLen: 40, sharedPrefixLen: 24, seed: 7) == prompts)
        #expect(try dataset.prompts(numPrompts: 5, inputLen: 40, sharedPrefixLen: 24, seed: 8) != prompts)

        let plain = try dataset.prompts(numPrompts: 3, inputLen: 128, sharedPrefixLen: 0, seed: 0)
        for prompt in plain {
            #expect(tokenizer.encode(prompt.text, addSpecialTokens: false).count == 128)
            #expect(prompt.promptLen == 128)
        }
    }
}
