import ArgumentParser
import Foundation
import Swiftlet

struct BenchTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode throughput of the model's tokenizer on a text file (one thread).")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory.")
    var model: String

    @Option(name: .long, help: "A UTF-8 text file; it is encoded line by line, as one batch of documents.")
    var file: String

    @Option(name: .long, help: "Timed passes over the file (after one untimed warm-up pass).")
    var iterations = 3

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            let data = try readFileArgument(file)
            let text = String(decoding: data, as: UTF8.self)
            // Split on U+000A alone ("\r\n" is one Character in Swift but two code points elsewhere).
            let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) }
            let loadStart = ContinuousClock.now
            let tokenizer = try ModelFiles.open(model).loadTokenizer()
            let loadSeconds = (ContinuousClock.now - loadStart).secondsValue
            var numTokens = 0
            for line in lines { numTokens += tokenizer.encode(line, addSpecialTokens: false).count }
            var best = Double.infinity
            for _ in 0..<max(1, iterations) {
                let start = ContinuousClock.now
                for line in lines { _ = tokenizer.encode(line, addSpecialTokens: false) }
                best = min(best, (ContinuousClock.now - start).secondsValue)
            }
            let megabytes = Double(data.count) / 1e6
            let figures = Figures(bytes: Double(data.count), tokens: Double(numTokens), lines: Double(lines.count), seconds: best,
                                  mbPerS: megabytes / best, tokensPerS: Double(numTokens) / best, tokenizerLoadSeconds: loadSeconds)
            print("text:        \(file): \(data.count) bytes, \(lines.count) lines")
            print("tokens:      \(numTokens)")
            print("load:        \(String(format: "%.3f", loadSeconds)) s")
            print("encode:      \(String(format: "%.3f", best)) s (best of \(max(1, iterations)))")
            print("throughput:  \(String(format: "%.2f", megabytes / best)) MB/s, \(String(format: "%.0f", Double(numTokens) / best)) tokens/s")
            try writeBenchFigures(figures, to: outputJson)
        }
    }

    /// What `--output-json` writes (every figure a number, counts included, as before).
    struct Figures: Encodable {
        var bytes: Double
        var tokens: Double
        var lines: Double
        var seconds: Double
        var mbPerS: Double
        var tokensPerS: Double
        var tokenizerLoadSeconds: Double
    }
}

