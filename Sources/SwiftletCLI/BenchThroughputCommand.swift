import ArgumentParser
import Foundation
import Swiftlet

struct BenchThroughputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput",
        abstract: "Offline throughput of the continuous-batching engine (like `vllm bench throughput`): N random prompts at once.")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory.")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "Number of prompts.")
    var numPrompts = 64

    @Option(name: .long, help: "Prompt tokens per request (random ids, fixed seed); after the shared prefix if any.")
    var inputLen = 128

    @Option(name: .long, help: "Output tokens per request (EOS ignored).")
    var outputLen = 128

    @Option(name: .long, help: "A prefix of this many tokens common to every prompt (0: none).")
    var sharedPrefixLen = 0

    @OptionGroup var engine: EngineOptions

    @Option(name: .long, help: "Sampling temperature (vLLM's bench uses 1.0).")
    var temperature = 1.0

    @Option(name: .long, help: "Write the figures as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            guard numPrompts >= 1, inputLen >= 1, outputLen >= 1, sharedPrefixLen >= 0 else {
                throw ValidationError("--num-prompts, --input-len and --output-len must be at least 1")
            }
            let config = try engine.config(defaultMaxModelLen: sharedPrefixLen + inputLen + outputLen)
            let core = try EngineCore.load(path: model, config: config)
            if let summary = core.startupSummary { printError(summary) }
            let vocabSize = core.vocabSize
            var random = RandomGenerator(seed: 0)
            func randomTokens(_ count: Int) -> [Int] { (0..<count).map { _ in random.ordinaryTokenID(vocabSize: vocabSize) } }
            let prefix = randomTokens(sharedPrefixLen)
            let prompts = (0..<numPrompts).map { _ in prefix + randomTokens(inputLen) }
            let params = SamplingParams(temperature: temperature, maxTokens: outputLen, ignoreEOS: true)
            let meter = ThroughputMeter(core: core)
            let start = ContinuousClock.now
            for (i, prompt) in prompts.enumerated() {
                try core.addRequest(requestID: String(i), promptTokenIDs: prompt, params: params)
            }
            try meter.run(start: start)
            let report = meter.report(prompts: prompts, outputLen: outputLen)
            print(report.text(model: model, numPrompts: numPrompts, inputLen: inputLen, outputLen: outputLen,
                              sharedPrefixLen: sharedPrefixLen, prefixCaching: config.enablePrefixCaching))
            try writeBenchFigures(report.figures, to: outputJson)
        }
    }
}
