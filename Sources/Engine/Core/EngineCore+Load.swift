import Foundation
import KVEvents
import ModelFormats
import Models

extension EngineCore {
    /// Loads the model at `path` (a .gguf file or a Hugging Face directory), sizes the KV pool
    /// from `config` and the machine's memory, and returns a core driving the real model.
    /// `startupSummary` then describes the pool (blocks, max-model-len, maximum concurrency).
    /// A draft model (`config.speculativeConfig` with `.draftModel`) is loaded beside it and its
    /// KV bytes per token join the target's in the pool's sizing.
    public static func load(path: String, config: EngineConfig = EngineConfig()) throws -> EngineCore {
        let files = try ModelFiles.open(path)
        let weights = try loadWeights(files, quantization: config.quantization)
        let tokenizer = try files.loadTokenizer()
        let draft = try config.speculativeConfig.flatMap { spec in
            try spec.model.map { try loadDraftWeights(path: $0, target: weights.config, quantization: config.quantization) }
        }
        let targetBytesPerToken = ModelRunner.kvBytesPerToken(weights.config, dtype: config.kvCacheDType)
        let bytesPerToken = targetBytesPerToken + (draft.map { ModelRunner.kvBytesPerToken($0.config, dtype: config.kvCacheDType) } ?? 0)
        let sliding = ModelRunner.slidingWindowKV(weights.config, dtype: config.kvCacheDType)
        let resolved = try config.resolve(modelMaxLen: min(weights.config.maxPositionEmbeddings, draft?.config.maxPositionEmbeddings ?? .max),
                                          kvBytesPerToken: bytesPerToken, slidingWindow: sliding)
        let runner = try ModelRunner(weights: weights, config: resolved,
                                     numThreads: config.numThreads ?? ProcessInfo.processInfo.activeProcessorCount,
                                     kvCacheDType: config.kvCacheDType)
        let proposer = try draft.map {
            try DraftModelProposer(weights: $0, pool: runner.pool, config: resolved,
                                   numSpeculativeTokens: resolved.speculativeConfig?.numSpeculativeTokens ?? 1,
                                   kvCacheDType: config.kvCacheDType)
        }
        var eos = Set(weights.config.eosTokenIDs)
        if let id = tokenizer.eosTokenID { eos.insert(id) }
        if let ids = files.generationConfig?.eosTokenID?.ids { eos.formUnion(ids) }
        let core = EngineCore(executor: runner, config: resolved, vocabSize: weights.config.vocabSize, eosTokenIDs: eos,
                              proposer: proposer)
        core.tokenizer = tokenizer
        core.startupSummary = resolved.startupSummary(kvBytesPerToken: bytesPerToken, kvCacheDType: config.kvCacheDType,
                                                      slidingKVBytesPerToken: sliding?.kvBytesPerToken ?? 0)
            + (draft.map { " (of which the draft model's KV: \(bytesPerToken - targetBytesPerToken) bytes per token of \(bytesPerToken); \($0.config.numLayers) draft layers)" } ?? "")
        core.defaultSamplingParams = SamplingParams.modelDefaults(files.generationConfig)
        core.structuredOutputs = StructuredOutputManager(tokenizer: tokenizer, eosTokenIDs: eos)
        // The model files' names and sizes, which a KV connector and the disk tier check transferred KV against.
        let fingerprint = config.kvTransferConfig != nil || config.kvOffloadDir != nil ? try Self.fingerprint(path) : ""
        if let transfer = config.kvTransferConfig { try core.connectKV(transfer, modelFingerprint: fingerprint) }
        let seed = SHA256CBORBlockHasher.seedFromEnvironment(ProcessInfo.processInfo.environment)
        if let directory = config.kvOffloadDir {
            do {
                try core.attachDiskTier(directory: directory, maxBytes: config.kvOffloadBytes, modelFingerprint: fingerprint,
                                        hasher: SHA256CBORBlockHasher(seed: seed))
            } catch let error as EngineCoreError { throw error } catch {
                throw EngineCoreError.invalidConfig("--kv-offload-dir \(directory): \(Self.fileErrorText(error))")
            }
        }
        if let events = config.kvEventsConfig, let publisher = try EventPublisherFactory.make(events) {
            guard resolved.enablePrefixCaching else {
                publisher.shutdown()
                throw EngineCoreError.invalidConfig("--kv-events-config: KV cache events describe the prefix cache; turn prefix caching on (drop --no-enable-prefix-caching)")
            }
            core.publishKVEvents(to: publisher, hasher: SHA256CBORBlockHasher(seed: seed))
        }
        return core
    }

    /// The weights in `files`, quantized at load when `quantization` is set (HF checkpoints only).
    static func loadWeights(_ files: ModelFiles, quantization: OnlineQuantization?) throws -> ModelWeights {
        let modelConfig = try files.config.get()
        switch files.container {
        case .gguf(let file):
            if let quantization {
                throw ModelLoadingError.invalidConfig(
                    file: file.path, reason: "--quantization \(quantization.rawValue) applies to Hugging Face checkpoints of unquantized weights, not to GGUF files")
            }
            return try ModelWeights(gguf: file, config: modelConfig)
        case .safetensors(let checkpoint):
            return try ModelWeights(safetensors: checkpoint, config: modelConfig, quantization: quantization)
        }
    }

    /// A draft model for `target`: the same vocabulary, full attention in both (a sliding-window
    /// model has two KV pools, which the draft's shared block ids do not cover yet).
    static func loadDraftWeights(path: String, target: ModelConfig, quantization: OnlineQuantization?) throws -> ModelWeights {
        let files = try ModelFiles.open(path)
        let draftQuantization: OnlineQuantization? = if case .gguf = files.container { nil } else { quantization }
        let weights = try loadWeights(files, quantization: draftQuantization)
        guard weights.config.vocabSize == target.vocabSize else {
            throw EngineCoreError.invalidConfig("--speculative-config: the draft model \(path) has a vocabulary of \(weights.config.vocabSize) tokens, the target \(target.vocabSize); a draft model must share the target's vocabulary")
        }
        let windowed = { (config: ModelConfig) in (0..<config.numLayers).contains { config.attentionWindow(layer: $0) > 0 } }
        guard !windowed(target), !windowed(weights.config) else {
            throw EngineCoreError.invalidConfig("--speculative-config: a draft model with sliding-window attention (in the draft or the target) is not supported yet; use \"method\": \"ngram\"")
        }
        return weights
    }

    /// Names the model's weights for KV transfer: files' names and sizes (a Q4_1 and a Q8_0 file
    /// of one model have KV of the same shape but different values; their sizes differ).
    static func fingerprint(_ path: String) throws -> String {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return path }
        let url = URL(fileURLWithPath: path)
        let files = isDirectory.boolValue
            ? try manager.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".safetensors") || $0.hasSuffix(".gguf") }.sorted()
                .map { url.appendingPathComponent($0) }
            : [url]
        return files.map { file in
            let size = (try? manager.attributesOfItem(atPath: file.path)[.size] as? Int) ?? -1
            return "\(file.lastPathComponent):\(size)"
        }.joined(separator: ",")
    }
}

extension EngineCore {
    /// A file system error as one line: the POSIX reason ("Not a directory", "No space left on
    /// device") rather than Foundation's nested error dump.
    static func fileErrorText(_ error: any Error) -> String {
        let nsError = error as NSError
        let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? any Error).map { $0 as NSError }
        let posix = nsError.domain == NSPOSIXErrorDomain ? nsError
            : underlying.flatMap { $0.domain == NSPOSIXErrorDomain ? $0 : nil }
        if let posix { return String(cString: strerror(Int32(posix.code))) }
        return nsError.localizedDescription
    }
}
