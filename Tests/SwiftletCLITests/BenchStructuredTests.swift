import Foundation
import Swiftlet
import Testing
@testable import SwiftletCLI

/// A sample of MaskBench through the real matcher, as `swiftlet bench structured` runs it: every
/// 100th of the 5,965 shared schemas, each instance's text tokenized with the default model's
/// tokenizer and fed token by token with a mask before every token. The floors are the counts
/// measured on this sample (60 schemas of which 55 compile, 65 valid and 74 invalid instances among
/// them, 65 accepted and 73 rejected on AMD EPYC, 2026-12-06, members in grammar order); the whole set runs in
/// scripts/bench-structured. The data is the shared copy beside the repository
/// (`../shared/data`, or the file `SWIFTLET_MASKBENCH` names); a checkout without it skips the suite.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: SharedMaskBench.path))) struct BenchStructuredTests {
    static let dataPath = SharedMaskBench.path

    @Test func maskBenchSampleThroughTheMatcher() throws {
        try #require(FileManager.default.fileExists(atPath: BenchServeDatasetTests.modelPath), "run scripts/fetch-model")
        let files = try ModelFiles.open(BenchServeDatasetTests.modelPath)
        let tokenizer = try files.loadTokenizer()
        let manager = StructuredOutputManager(tokenizer: tokenizer, eosTokenIDs: Set([tokenizer.eosTokenID].compactMap { $0 }))
        let cases = try MaskBenchData(path: Self.dataPath).cases.enumerated().filter { $0.offset % 100 == 0 }.map(\.element)
        let figures = MaskBenchRunner(tokenizer: tokenizer, vocabulary: manager.vocabulary).run(cases) { _ in }
        let report = BenchStructuredReport(figures: figures)
        print(report.lines.joined(separator: "\n"))
        #expect(figures.schemas == 60)
        #expect(figures.compiled >= 55)
        #expect(figures.validInstances == 65 && figures.invalidInstances == 74)
        #expect(figures.validAccepted == 65)
        #expect(figures.invalidRejected >= 73)
        #expect(figures.tokens == figures.maskUs.count)
        #expect(figures.forcedTokens < figures.tokens)
    }

    @Test func oneTokenMasks() {
        #expect(MaskBenchRunner.allowsOneToken([0, 0b1000, 0]))
        #expect(!MaskBenchRunner.allowsOneToken([0, 0b1010, 0]))
        #expect(!MaskBenchRunner.allowsOneToken([1, 0, 1]))
        #expect(!MaskBenchRunner.allowsOneToken([0, 0]))
    }
}

/// Where the shared MaskBench data is.
enum SharedMaskBench {
    static let path = ProcessInfo.processInfo.environment["SWIFTLET_MASKBENCH"]
        ?? CLITests.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/jsonschemabench-maskbench.jsonl.gz").path
}
