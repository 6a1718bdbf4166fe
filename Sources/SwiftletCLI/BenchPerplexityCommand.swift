import ArgumentParser
import Foundation
import Swiftlet

/// Perplexity of a text as llama.cpp's llama-perplexity scores it, so the two compare on one file:
/// the text tokenized once (with the model's BOS when it adds one), cut into chunks of `ctx-size`
/// tokens whose first token is replaced by BOS, and in each chunk only the predictions of its
/// second half scored (tokens ctx/2 + 1 ..< ctx, each with at least ctx/2 tokens of context).
struct BenchPerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Perplexity of a text file, chunked and scored as llama.cpp's llama-perplexity does.")

    @OptionGroup var load: ModelLoadOptions

    @Option(name: .long, help: "A UTF-8 text file (default: scripts/quantize/perplexity.txt).")
    var textFile = "scripts/quantize/perplexity.txt"

    @Option(name: .long, help: "Tokens per chunk (llama-perplexity's -c).")
    var ctxSize = 512

    @Option(name: .long, help: "Score at most this many chunks (llama-perplexity's --chunks; default: all).")
    var chunks: Int?

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            guard ctxSize >= 4 else { throw ValidationError("--ctx-size must be at least 4") }
            if let chunks, chunks < 1 { throw ValidationError("--chunks must be at least 1") }
            let data = try readFileArgument(textFile)
            var options = load
            options.maxModelLen = max(options.maxModelLen ?? ctxSize + 1, ctxSize + 1)  // room for the one token generated
            options.maxNumBatchedTokens = max(options.maxNumBatchedTokens, ctxSize)
            let llm = try options.makeLLM(enablePromptLogprobs: true)
            guard let tokenizer = (try llm.core).tokenizer else { throw ValidationError("the model has no tokenizer") }
            let tokens = tokenizer.encode(String(decoding: data, as: UTF8.self))
            let numChunks = min(tokens.count / ctxSize, chunks ?? .max)
            guard numChunks >= 1 else {
                throw ValidationError("\(textFile) has \(tokens.count) tokens, fewer than one chunk of --ctx-size \(ctxSize)")
            }
            let bos = tokenizer.addsBOS ? tokenizer.bosTokenID : nil
            let first = ctxSize / 2
            var sum = 0.0, sumSquares = 0.0, count = 0
            let start = ContinuousClock.now
            for chunk in 0..<numChunks {
                var ids = Array(tokens[chunk * ctxSize..<(chunk + 1) * ctxSize])
                if let bos { ids[0] = bos }
                var params = SamplingParams(temperature: 0, maxTokens: 1, promptLogprobs: 0)
                params.ignoreEOS = true
                let output = try llm.generate(tokenIDs: [ids], params: [params])[0]
                guard let logprobs = output.promptLogprobs, logprobs.count == ctxSize else {
                    throw ValidationError("the engine returned no prompt logprobs for chunk \(chunk)")
                }
                for position in (first + 1)..<ctxSize {
                    guard let entry = logprobs[position] else { continue }
                    let nll = -Double(entry.chosen.logprob)
                    sum += nll
                    sumSquares += nll * nll
                    count += 1
                }
                print(String(format: "[%d] %.4f", chunk + 1, exp(sum / Double(count))))
            }
            let mean = sum / Double(count)
            let perplexity = exp(mean)
            let spread = count > 1 ? (max(sumSquares / Double(count) - mean * mean, 0) / Double(count - 1)).squareRoot() : 0
            let seconds = (ContinuousClock.now - start).secondsValue
            print(String(format: "Final estimate: PPL = %.4f +/- %.5f (%d chunks of %d tokens, %d scored, %.1f s)",
                         perplexity, perplexity * spread, numChunks, ctxSize, count, seconds))
            try writeBenchFigures(Figures(perplexity: perplexity, perplexityError: perplexity * spread, meanNLL: mean,
                                          numChunks: Double(numChunks), ctxSize: Double(ctxSize), scoredTokens: Double(count),
                                          seconds: seconds), to: outputJson)
        }
    }

    /// What `--output-json` writes.
    struct Figures: Encodable {
        var perplexity: Double
        var perplexityError: Double
        var meanNLL: Double
        var numChunks: Double
        var ctxSize: Double
        var scoredTokens: Double
        var seconds: Double
    }
}
