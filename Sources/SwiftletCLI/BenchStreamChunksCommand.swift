import ArgumentParser
import Foundation
import OpenAIServer
import Swiftlet

struct BenchStreamChunksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stream-chunks",
        abstract: "The server's cost per streamed chunk: replays token-by-token outputs through the chat and completions SSE encoders (no engine, one thread).")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (its tokenizer spells the tokens).")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "Streams per pass.")
    var numStreams = 200

    @Option(name: .long, help: "Tokens (chunks) per stream.")
    var tokensPerStream = 128

    @Option(name: .long, help: "Top logprobs per token (none by default).")
    var logprobs: Int?

    @Option(name: .long, help: "Timed passes; the best is reported.")
    var iterations = 5

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            guard numStreams >= 1, tokensPerStream >= 1, iterations >= 1, (logprobs ?? 0) >= 0 else {
                throw ValidationError("--num-streams, --tokens-per-stream and --iterations must be at least 1, --logprobs non-negative")
            }
            let files = try ModelFiles.open(model)
            let tokenizer = try files.loadTokenizer()
            let vocabSize = try files.config.get().vocabSize
            let figures = StreamChunkBenchmark.run(tokenizer: tokenizer, vocabSize: vocabSize, numStreams: numStreams,
                                                   tokensPerStream: tokensPerStream, logprobs: logprobs, repeats: iterations)
            print("streams:        \(numStreams) x \(tokensPerStream) tokens, logprobs \(logprobs.map(String.init) ?? "off"), best of \(iterations)")
            print(String(format: "chat:           %.0f ns per chunk (%.0f bytes)", figures.chatNanosecondsPerChunk, figures.chatBytesPerChunk))
            print(String(format: "completions:    %.0f ns per chunk", figures.completionNanosecondsPerChunk))
            try writeBenchFigures(Figures(numChunks: figures.numChunks, chatNsPerChunk: figures.chatNanosecondsPerChunk,
                                          completionNsPerChunk: figures.completionNanosecondsPerChunk,
                                          chatBytesPerChunk: figures.chatBytesPerChunk), to: outputJson)
        }
    }

    /// What `--output-json` writes.
    struct Figures: Encodable {
        var numChunks: Int
        var chatNsPerChunk: Double
        var completionNsPerChunk: Double
        var chatBytesPerChunk: Double
    }
}
