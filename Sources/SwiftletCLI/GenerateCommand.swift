import ArgumentParser
import Foundation
import Swiftlet

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a continuation of a prompt, streaming the text (or one JSON object with --json).")

    @OptionGroup var load: ModelLoadOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(name: .long, help: "The prompt text (tokenized as is, with the model's BOS if it adds one).")
    var prompt: String?

    @Option(name: .long, help: "The prompt as comma-separated token ids, e.g. 1,2,3.")
    var promptTokenIds: String?

    @Option(name: .long, help: "A file whose text is the prompt (as --prompt).")
    var promptFile: String?

    @Flag(name: .long, help: "Print one JSON object: prompt and output token ids, text, finish reason, logprobs.")
    var json = false

    func validate() throws {
        if [prompt != nil, promptTokenIds != nil, promptFile != nil].count(where: { $0 }) != 1 {
            throw ValidationError("give exactly one of --prompt, --prompt-file and --prompt-token-ids")
        }
    }

    func run() throws {
        try reportingErrors {
            let params = try sampling.params()
            let llm = try load.makeLLM(enablePromptLogprobs: params.promptLogprobs != nil, quiet: json)
            let ids: [Int]
            if let promptTokenIds {
                ids = try promptTokenIds.split(separator: ",").map { piece in
                    guard let id = Int(piece.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--prompt-token-ids: '\(piece)' is not an integer")
                    }
                    return id
                }
            } else if let promptFile {
                ids = (try llm.tokenizer).encode(String(decoding: try readFileArgument(promptFile), as: UTF8.self), addSpecialTokens: true)
            } else {
                ids = (try llm.tokenizer).encode(prompt ?? "", addSpecialTokens: true)
            }
            if let constraint = params.structuredOutputs, let manager = (try llm.core).structuredOutputs {
                // Compiled on a large stack (deep schemas recurse deeply); the engine then finds it cached.
                _ = try LargeStack.run { try manager.compile(constraint) }
            }
            var timer = RequestTimer()
            let output = try llm.generate(tokenIDs: ids, params: params) { output in
                timer.record(output)
                if !json { writeOut(output.outputs[0].deltaText) }
                return true
            }
            let completion = output.outputs[0]
            if json {
                print(try OutputJSON.render(output, prompt: prompt, tokenizer: (try llm.tokenizer)))
            } else {
                writeOut("\n")
                let decodeRate = completion.tokenIDs.count > 1 ? Double(completion.tokenIDs.count - 1) / timer.decodeSeconds : 0
                var speculation = ""
                if (try llm.core).config.speculativeConfig != nil {
                    let spec = (try llm.core).stats.specDecoding
                    speculation = String(format: "; speculative: %d of %d draft tokens accepted (%.1f%%), mean acceptance length %.2f",
                                         spec.numAcceptedTokens, spec.numDraftTokens, 100 * spec.acceptanceRate, spec.meanAcceptanceLength)
                }
                printError(String(format: "[%d prompt tokens, %d output tokens, finish: %@; first token %.3f s, decode %.1f tokens/s%@]",
                                  output.promptTokenIDs.count, completion.tokenIDs.count,
                                  (completion.finishReason ?? .abort).rawValue, timer.timeToFirstToken, decodeRate, speculation))
            }
        }
    }
}
