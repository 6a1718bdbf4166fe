import Foundation
import Models

extension EngineCore {
    /// Loads the model at `path` (a .gguf file or a Hugging Face directory), sizes the KV pool
    /// from `config` and the machine's memory, and returns a core driving the real model.
    /// `startupSummary` then describes the pool (blocks, max-model-len, maximum concurrency).
    public static func load(path: String, config: EngineConfig = EngineConfig()) throws -> EngineCore {
        let files = try ModelFiles.open(path)
        let modelConfig = try files.config.get()
        let weights: ModelWeights
        switch files.container {
        case .gguf(let file):
            if let online = config.quantization {
                throw ModelLoadingError.invalidConfig(
                    file: file.path, reason: "--quantization \(online.rawValue) applies to Hugging Face checkpoints of unquantized weights, not to GGUF files")
            }
            weights = try ModelWeights(gguf: file, config: modelConfig)
        case .safetensors(let checkpoint): weights = try ModelWeights(safetensors: checkpoint, config: modelConfig, quantization: config.quantization)
        }
        let tokenizer = try files.loadTokenizer()
        let bytesPerToken = ModelRunner.kvBytesPerToken(weights.config, dtype: config.kvCacheDType)
        let sliding = ModelRunner.slidingWindowKV(weights.config, dtype: config.kvCacheDType)
        let resolved = try config.resolve(modelMaxLen: weights.config.maxPositionEmbeddings, kvBytesPerToken: bytesPerToken,
                                          slidingWindow: sliding)
        let runner = try ModelRunner(weights: weights, config: resolved,
                                     numThreads: config.numThreads ?? ProcessInfo.processInfo.activeProcessorCount,
                                     kvCacheDType: config.kvCacheDType)
        var eos = Set(weights.config.eosTokenIDs)
        if let id = tokenizer.eosTokenID { eos.insert(id) }
        if let ids = files.generationConfig?.eosTokenID?.ids { eos.formUnion(ids) }
        let core = EngineCore(executor: runner, config: resolved, vocabSize: weights.config.vocabSize, eosTokenIDs: eos)
        core.tokenizer = tokenizer
        core.startupSummary = resolved.startupSummary(kvBytesPerToken: bytesPerToken, kvCacheDType: config.kvCacheDType,
                                                      slidingKVBytesPerToken: sliding?.kvBytesPerToken ?? 0)
        core.defaultSamplingParams = SamplingParams.modelDefaults(files.generationConfig)
        core.structuredOutputs = StructuredOutputManager(tokenizer: tokenizer, eosTokenIDs: eos)
        return core
    }
}
