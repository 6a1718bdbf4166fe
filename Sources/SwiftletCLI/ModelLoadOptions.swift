import ArgumentParser
import Foundation
import Swiftlet

/// The flags that say which model to load and how big its context and batches are.
struct ModelLoadOptions: ParsableArguments {
    /// Where `make serve` and scripts/fetch-model put the default model, relative to the repository root.
    static let defaultModel = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (default: the model `make serve` fetches).")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "Context length in tokens (default: the model's own).")
    var maxModelLen: Int?

    @Option(name: .long, help: "Tokens per prefill chunk.")
    var maxNumBatchedTokens: Int = 512

    @Option(name: .long, help: "Worker threads (default: every core).")
    var threads: Int?

    @Option(name: .customLong("kv-cache-dtype"), help: "KV cache element type: auto (float16), float32, float16, bfloat16, fp8 (= fp8_e4m3) or fp8_e5m2.")
    var kvCacheDType = "auto"

    @Flag(name: .long, help: "Keep every key of sliding-window layers (Gemma 3) in the one KV pool instead of a second pool whose blocks are freed as they leave the window.")
    var disableHybridKVCacheManager = false

    @Option(name: .long, help: ArgumentHelp(OnlineQuantization.flagHelp))
    var quantization: String?

    @Option(name: .customLong("speculative-config"), help: ArgumentHelp(SpeculativeConfig.flagHelp))
    var speculativeConfig: String?

    /// The parsed `--kv-cache-dtype`.
    func kvDType() throws -> KVCacheDType {
        try KVCacheDType.parsing(flag: kvCacheDType)
    }

    /// The engine settings these flags give beyond the sizes: KV type, hybrid cache, quantization,
    /// speculative decoding.
    func apply(to config: inout EngineConfig) throws {
        config.kvCacheDType = try kvDType()
        config.disableHybridKVCacheManager = disableHybridKVCacheManager
        config.quantization = try OnlineQuantization.parsing(flag: quantization)
        config.speculativeConfig = try SpeculativeConfig.parsing(flag: speculativeConfig)
    }

    /// Loads the model into an engine for one request at a time (the KV cache holds one sequence
    /// of the context length), reporting the load time on stderr unless `quiet`.
    func makeLLM(enablePromptLogprobs: Bool = false, quiet: Bool = false) throws -> LLM {
        let start = ContinuousClock.now
        if !quiet && isatty(STDERR_FILENO) != 0 { printError("loading \(model) ...") }
        var config = EngineConfig(maxModelLen: maxModelLen, maxNumSeqs: 1, maxNumBatchedTokens: maxNumBatchedTokens,
                                  numThreads: threads, enablePromptLogprobs: enablePromptLogprobs)
        try apply(to: &config)
        let llm = try LLM(core: EngineCore.load(path: model, config: config))
        llm.showProgress = false
        if !quiet {
            let threads = ((try llm.core).executor as? ModelRunner)?.pool.numThreads ?? 1
            printError(String(format: "loaded %@ in %.3f s (%d threads, context %d)", model,
                              (ContinuousClock.now - start).secondsValue, threads, (try llm.core).config.maxModelLen))
        }
        return llm
    }
}

/// vLLM's sampling flags.
struct SamplingOptions: ParsableArguments {
    @Option(name: .long, help: "Most tokens to generate.")
    var maxTokens: Int = 128

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Double = 1.0

    @Option(name: .long, help: "Nucleus sampling: keep the most likely tokens up to this probability mass, in (0, 1].")
    var topP: Double = 1.0

    @Option(name: .long, help: "Keep only the K most likely tokens (0 or -1: off).")
    var topK: Int = 0

    @Option(name: .long, help: "Seed for this request's random generator.")
    var seed: UInt64?

    @Flag(name: .long, help: "Keep generating after the end-of-sequence token.")
    var ignoreEos = false

    @Option(name: .long, help: "Keep tokens whose probability is at least this share of the most likely one's, in [0, 1].")
    var minP: Double = 0

    @Option(name: .long, help: "Penalize tokens already in the output, in [-2, 2].")
    var presencePenalty: Double = 0

    @Option(name: .long, help: "Penalize tokens by how often they are already in the output, in [-2, 2].")
    var frequencyPenalty: Double = 0

    @Option(name: .long, help: "Penalize tokens of the prompt and output (> 1 discourages repeats).")
    var repetitionPenalty: Double = 1

    @Option(name: .long, help: "Generate at least this many tokens before EOS may end the output.")
    var minTokens: Int = 0

    @Option(name: .long, parsing: .upToNextOption, help: "Token ids that end the output.")
    var stopTokenIds: [Int] = []

    @Option(name: .long, help: "Report the top-K logprobs of each output token.")
    var logprobs: Int?

    @Option(name: .long, help: "Report the top-K logprobs of each prompt token.")
    var promptLogprobs: Int?

    @Option(name: .long, help: "A string that ends the output (not included in it); repeat for several.")
    var stop: [String] = []

    @Option(name: .long, help: "A JSON Schema file: the output is JSON valid against it.")
    var jsonSchema: String?

    @Option(name: .long, help: "A regular expression (Python syntax) the whole output matches.")
    var regex: String?

    @Option(name: .long, parsing: .upToNextOption, help: "The output is exactly one of these strings.")
    var choice: [String] = []

    @Option(name: .long, help: "A grammar file (EBNF) the output follows.")
    var grammar: String?

    func params() throws -> SamplingParams {
        var params = SamplingParams(temperature: temperature, topP: topP, topK: topK, seed: seed, maxTokens: maxTokens,
                                    ignoreEOS: ignoreEos, stopTokenIDs: stopTokenIds, logprobs: logprobs,
                                    promptLogprobs: promptLogprobs)
        params.minP = minP
        params.presencePenalty = presencePenalty
        params.frequencyPenalty = frequencyPenalty
        params.repetitionPenalty = repetitionPenalty
        params.minTokens = minTokens
        params.stop = stop
        params.structuredOutputs = try structuredOutputs()
        return params
    }

    /// The one structured-output constraint the flags give, if any.
    func structuredOutputs() throws -> StructuredOutputsParams? {
        var constraints: [StructuredOutputsParams.Constraint] = []
        if let jsonSchema {
            let data = try readFileArgument(jsonSchema)
            do { constraints.append(.json(try JSONValue(parsing: data))) } catch {
                throw ValidationError("--json-schema \(jsonSchema) is not valid JSON: \(error)")
            }
        }
        if let regex { constraints.append(.regex(regex)) }
        if !choice.isEmpty { constraints.append(.choice(choice)) }
        if let grammar {
            constraints.append(.grammar(String(decoding: try readFileArgument(grammar), as: UTF8.self)))
        }
        guard constraints.count <= 1 else {
            throw ValidationError("give at most one of --json-schema, --regex, --choice and --grammar")
        }
        return constraints.first.map { StructuredOutputsParams($0) }
    }
}
