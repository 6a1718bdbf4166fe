import ArgumentParser
import Foundation
import OpenAIServer
import Swiftlet

/// `swiftlet run-batch`: an OpenAI batch file through the engine (like `vllm run-batch`).
struct RunBatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-batch",
        abstract: "Run an OpenAI batch file (JSON lines of custom_id, method, url, body for /v1/completions or /v1/chat/completions) and write the batch output file.")

    @Option(name: [.short, .customLong("input-file")], help: "The batch input file (JSON lines).")
    var inputFile: String

    @Option(name: [.short, .customLong("output-file")], help: "Where the output lines go (one per input line, in input order).")
    var outputFile: String

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (default: the model `make serve` fetches).")
    var model: String = ModelLoadOptions.defaultModel

    @OptionGroup var engine: EngineOptions

    @OptionGroup var serving: ServingModelOptions

    @OptionGroup var pooling: PoolingOptions

    @Flag(name: .long, help: "Log each request as serve does.")
    var enableLogRequests = false

    func run() async throws {
        for path in [inputFile, outputFile] where path.hasPrefix("http://") || path.hasPrefix("https://") {
            throw ValidationError("run-batch reads and writes local files only, got \(path)")
        }
        let text: String
        do { text = try String(contentsOfFile: inputFile, encoding: .utf8) } catch {
            throw ValidationError("cannot read the batch input file \(inputFile): \(error.localizedDescription)")
        }
        guard FileManager.default.createFile(atPath: outputFile, contents: nil), let output = FileHandle(forWritingAtPath: outputFile) else {
            throw ValidationError("cannot write the batch output file \(outputFile)")
        }
        defer { try? output.close() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let runner: BatchRunner
        var engineToStop: AsyncEngine?
        defer { engineToStop?.shutdown() }
        if let embedder = try pooling.embeddingEngine(model: model, engine: engine) {
            printError(PoolingOptions.summary(embedder, name: serving.servedModelName ?? model))
            runner = BatchRunner(embeddings: EmbeddingService(engine: embedder, maxWaitingRequests: .max), modelName: serving.servedModelName ?? model,
                                 maxInFlight: 2 * engine.maxNumSeqs)
        } else {
            let config = try engine.config()
            let loaded = try ServingEngineLoader(model: model, config: config, maxLogprobs: serving.maxLogprobs, chatTemplate: serving.chatTemplate)
            engineToStop = loaded.engine
            var options = ServerOptions(servedModelName: serving.servedModelName ?? model, maxWaitingRequests: .max,
                                        logRequests: enableLogRequests, seed: serving.seed, reasoningParser: serving.reasoningParser)
            options.kvCacheDType = engine.kvCacheDType
            let context = try ServingContext(engine: loaded.engine, core: loaded.core, chatTemplate: loaded.template, options: options,
                                             useGenerationConfig: serving.generationConfig == "auto")
            runner = BatchRunner(context: context, maxInFlight: 2 * config.maxNumSeqs)
        }
        printError("Reading batch from \(inputFile)...")
        let bar = ProgressPrinter()
        let summary = try await runner.run(lines: lines) { progress in
            bar.show(progress)
        } write: { line in
            try output.write(contentsOf: line + [UInt8(ascii: "\n")])
        }
        printError("Batch complete: \(summary.succeeded) succeeded, \(summary.failed) failed in \(String(format: "%.2f", summary.seconds)) s; "
                   + "\(summary.promptTokens) prompt and \(summary.outputTokens) output tokens, "
                   + "\(String(format: "%.1f", summary.outputTokensPerSecond)) output tok/s; written to \(outputFile)")
    }
}

/// Prints the progress bar to stderr at most every 5 seconds, and always the last one.
private final class ProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var lastShown: Date?

    func show(_ progress: BatchProgress) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        let done = progress.completed == progress.total
        if let lastShown, !done, now.timeIntervalSince(lastShown) < 5 { return }
        lastShown = now
        printError(progress.line(now: now))
    }
}
