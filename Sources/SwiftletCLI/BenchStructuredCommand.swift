import ArgumentParser
import Foundation
import Swiftlet

struct BenchStructuredCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structured",
        abstract: "Structured outputs over JSONSchemaBench's MaskBench data: schemas compiled, valid instances accepted and invalid rejected token by token, compile and mask times (one thread).")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (its tokenizer and vocabulary).")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "The MaskBench JSON lines file (gzipped).")
    var data = "../shared/data/jsonschemabench-maskbench.jsonl.gz"

    @Option(name: .long, help: "Take every K-th schema (1: all).")
    var every = 1

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    @Option(name: .long, help: "Also write, into this directory, maskbench-tokens.jsonl (the vocabulary and each instance's tokens) and the model's tokenizer.json, for a peer to run on the same tokens (scripts/bench-structured).")
    var writeTokens: String?

    func run() throws {
        try LargeStack.run { try reportingErrors {
            guard every >= 1 else { throw ValidationError("--every must be at least 1") }
            let files = try ModelFiles.open(model)
            let tokenizer = try files.loadTokenizer()
            var eos = Set(try files.config.get().eosTokenIDs)
            if let id = tokenizer.eosTokenID { eos.insert(id) }
            let manager = StructuredOutputManager(tokenizer: tokenizer, eosTokenIDs: eos)
            let cases = try MaskBenchData(path: data).cases.enumerated().filter { $0.offset % every == 0 }.map(\.element)
            if let writeTokens {
                let directory = URL(fileURLWithPath: writeTokens)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                _ = try files.writeTokenizerFiles(to: directory)
                try MaskBenchTokenFile.write(cases: cases, tokenizer: tokenizer, eos: eos.sorted(),
                                             to: directory.appendingPathComponent("maskbench-tokens.jsonl").path)
            }
            let progress = ProgressLine(total: cases.count)
            let figures = MaskBenchRunner(tokenizer: tokenizer, vocabulary: manager.vocabulary).run(cases) { progress.update($0) }
            progress.finish()
            for line in BenchStructuredReport(figures: figures).lines { print(line) }
            try writeBenchFigures(BenchStructuredReport(figures: figures).summary, to: outputJson)
        } }
    }
}

/// "schema 120/5965" on stderr, redrawn in place when it is a terminal.
final class ProgressLine {
    let total: Int
    let enabled = isatty(STDERR_FILENO) != 0
    init(total: Int) { self.total = total }
    func update(_ done: Int) {
        if enabled && done % 10 == 0 { FileHandle.standardError.write(Data("\rschema \(done)/\(total)".utf8)) }
    }
    func finish() { if enabled { FileHandle.standardError.write(Data("\n".utf8)) } }
}
