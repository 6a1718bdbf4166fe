import Foundation
import Testing
import SwiftletTokenizers

/// Encode throughput and load time; run with SWIFTLET_BENCH=1 (release:
/// `swift build -c release --build-tests -Xswiftc -enable-testing && SWIFTLET_BENCH=1 swift test -c release --skip-build --filter TokenizerBenchmark`).
/// SWIFTLET_BENCH_TEXT may name extra UTF-8 text files (colon-separated), e.g. from scripts/fixtures/tok_bench.py.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["SWIFTLET_BENCH"] != nil), .serialized)
struct TokenizerBenchmarkTests {
    static func texts() throws -> [(String, String)] {
        let corpus = try TestResources.expected("smollm2").map(\.text).joined(separator: "\n")
        var repeated = ""
        while repeated.utf8.count < 2_000_000 { repeated += corpus + "\n" }
        var texts = [("corpus x\(2_000_000 / max(corpus.utf8.count, 1))", repeated)]
        for path in (ProcessInfo.processInfo.environment["SWIFTLET_BENCH_TEXT"] ?? "").split(separator: ":") {
            texts.append((String(path), try String(contentsOfFile: String(path), encoding: .utf8)))
        }
        return texts
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test func loadTimes() throws {
        let url = try TestResources.fixture("smollm2_tokenizer.json")
        var best = Double.infinity
        for _ in 0..<5 { best = min(best, try Self.seconds { _ = try Tokenizer(tokenizerJSON: url) }) }
        print(String(format: "bench load smollm2 tokenizer.json: %.1f ms", best * 1000))
        let gemma = try TestResources.ggufVocabulary(TestResources.model(TestResources.gemmaFile, fetchArgument: "gemma3"))
        let smol = try TestResources.ggufVocabulary(TestResources.model(TestResources.smolLMFile, fetchArgument: ""))
        for (name, vocabulary) in [("smollm2 gguf vocab", smol), ("gemma3 gguf vocab", gemma)] {
            var fastest = Double.infinity
            for _ in 0..<3 { fastest = min(fastest, try Self.seconds { _ = try Tokenizer(vocabulary: vocabulary) }) }
            print(String(format: "bench build %@: %.1f ms", name, fastest * 1000))
        }
    }

    @Test func encodeThroughput() throws {
        let tokenizers = [("smollm2", try TestResources.smolLM()), ("gemma3", try TestResources.gemma())]
        for (textName, text) in try Self.texts() {
            let megabytes = Double(text.utf8.count) / 1e6
            for (name, tokenizer) in tokenizers {
                var count = 0
                var best = Double.infinity
                for _ in 0..<3 {
                    best = min(best, Self.seconds { count = tokenizer.encode(text, addSpecialTokens: false).count })
                }
                print(String(format: "bench encode %@ on %@ (%.2f MB): %.2f MB/s, %d tokens, %.0f ms",
                             name, textName, megabytes, megabytes / best, count, best * 1000))
            }
        }
    }
}
