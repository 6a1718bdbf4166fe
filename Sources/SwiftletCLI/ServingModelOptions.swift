import ArgumentParser
import OpenAIServer

/// The flags `serve` and `run-batch` share about how requests are answered, named as vLLM's.
struct ServingModelOptions: ParsableArguments {
    @Option(name: .long, help: "The model name requests send and responses carry (default: MODEL as given, like vLLM).")
    var servedModelName: String?

    @Option(name: .long, help: "auto: sampling defaults from the model's generation_config; vllm: vLLM's own defaults.")
    var generationConfig = "auto"

    @Option(name: .long, help: "A Jinja chat template file to use instead of the model's.")
    var chatTemplate: String?

    @Option(name: .long, help: "Split answers into reasoning and content: deepseek_r1 or qwen3 (<think>...</think>).")
    var reasoningParser: String?

    @Option(name: .long, help: "Seed for requests that bring none (the k-th gets seed + k), for reproducible runs.")
    var seed: UInt64?

    @Option(name: .long, help: "Most logprobs a request may ask for.")
    var maxLogprobs = 20

    func validate() throws {
        guard generationConfig == "auto" || generationConfig == "vllm" else {
            throw ValidationError("--generation-config must be auto or vllm, got '\(generationConfig)'")
        }
        if let reasoningParser, !ServingContext.reasoningParserNames.contains(reasoningParser) {
            throw ValidationError("--reasoning-parser must be one of \(ServingContext.reasoningParserNames.joined(separator: ", ")), got '\(reasoningParser)'")
        }
    }
}
