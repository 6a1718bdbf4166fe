extension ModelConfig {
    /// `general.architecture` values this engine reads, and the family each one means.
    /// ("llama" also covers Mistral and SmolLM2 files, which llama.cpp writes as llama.)
    public static let ggufArchitectures: [String: Architecture] = [
        "llama": .llama, "qwen2": .qwen2, "qwen3": .qwen3, "gemma3": .gemma3,
        "qwen2moe": .qwen2moe, "qwen3moe": .qwen3moe, "phi3": .phi3,
    ]

    /// Builds the config from GGUF metadata (`{arch}.block_count`, `{arch}.embedding_length`...).
    ///
    /// - Parameters:
    ///   - ggufMetadata: the file's key/value metadata.
    ///   - path: the file, named in errors.
    ///   - hasOutputTensor: whether the file stores `output.weight`; without it the output
    ///     projection is tied to the token embeddings.
    public init(ggufMetadata: [String: GGUFValue], path: String, hasOutputTensor: Bool) throws {
        let meta = GGUFMetadataFields(values: ggufMetadata, path: path)
        guard let archName = try meta.string("general.architecture") else {
            throw ModelConfigError.missingField(file: path, field: "general.architecture")
        }
        guard let architecture = Self.ggufArchitectures[archName] else {
            throw ModelConfigError.unknownArchitecture(file: path, name: archName,
                                                       supported: Self.ggufArchitectures.keys.sorted())
        }
        let a = archName
        let hiddenSize = try meta.requiredInt("\(a).embedding_length")
        let numHeads = try meta.requiredInt("\(a).attention.head_count")
        var headDim = try meta.int("\(a).attention.key_length")
        if headDim == nil {
            guard numHeads > 0 else {
                throw ModelConfigError.invalidValue(file: path, field: "\(a).attention.head_count",
                                                    value: "\(numHeads)", reason: "must be positive")
            }
            guard hiddenSize % numHeads == 0 else {
                throw ModelConfigError.notDivisible(file: path, field: "\(a).embedding_length", value: hiddenSize,
                                                    divisorField: "\(a).attention.head_count", divisor: numHeads)
            }
            headDim = hiddenSize / numHeads
        }
        let resolvedHeadDim = headDim ?? 0
        if let ropeDims = try meta.int("\(a).rope.dimension_count"), ropeDims != resolvedHeadDim {
            throw ModelConfigError.invalidValue(file: path, field: "\(a).rope.dimension_count", value: "\(ropeDims)",
                                                reason: "partial rotary embeddings are not supported (head dimension \(resolvedHeadDim))")
        }
        let vocabSize: Int
        if let size = try meta.int("\(a).vocab_size") {
            vocabSize = size
        } else if let tokens = ggufMetadata["tokenizer.ggml.tokens"]?.arrayValue {
            vocabSize = tokens.count
        } else {
            throw ModelConfigError.missingField(file: path, field: "\(a).vocab_size")
        }
        let contextLength = try meta.requiredInt("\(a).context_length")
        if let valueLength = try meta.int("\(a).attention.value_length"), valueLength != resolvedHeadDim {
            throw ModelConfigError.invalidValue(file: path, field: "\(a).attention.value_length", value: "\(valueLength)",
                                                reason: "value heads must be as wide as key heads (\(resolvedHeadDim))")
        }
        let numLayers = try meta.requiredInt("\(a).block_count")
        var eosTokenIDs = try meta.int("tokenizer.ggml.eos_token_id").map { [$0] } ?? []
        var gemma: GemmaExtras?
        if architecture == .gemma3 {
            // Not in the metadata of llama.cpp's Gemma 3 files; llama.cpp's own values: every sixth layer
            // global, local rotary base 10,000, queries scaled by the head size (27B, 62 layers: by
            // hidden size / heads). <end_of_turn> also ends generation, as generation_config.json says.
            let queryScalar = numLayers == 62 && numHeads > 0 ? Float(hiddenSize / numHeads) : Float(resolvedHeadDim)
            gemma = GemmaExtras(embeddingMultiplier: Float(Double(hiddenSize).squareRoot()),
                                slidingWindowPattern: try meta.int("\(a).attention.sliding_window_pattern") ?? 6,
                                localRopeTheta: try meta.float("\(a).rope.freq_base_swa") ?? 10_000,
                                queryPreAttnScalar: queryScalar)
            if case .strings(let tokens)? = ggufMetadata["tokenizer.ggml.tokens"]?.arrayValue,
               let endOfTurn = tokens.firstIndex(of: "<end_of_turn>"), !eosTokenIDs.contains(endOfTurn) {
                eosTokenIDs.append(endOfTurn)
            }
        }
        let intermediateSize = try meta.requiredInt("\(a).feed_forward_length")
        self.init(
            architecture: architecture,
            numLayers: numLayers,
            hiddenSize: hiddenSize,
            intermediateSize: intermediateSize,
            numHeads: numHeads,
            numKVHeads: try meta.int("\(a).attention.head_count_kv") ?? numHeads,
            headDim: resolvedHeadDim,
            vocabSize: vocabSize,
            maxPositionEmbeddings: contextLength,
            rmsNormEps: try meta.requiredFloat("\(a).attention.layer_norm_rms_epsilon"),
            ropeTheta: try meta.float("\(a).rope.freq_base") ?? 10_000,
            ropeScaling: try Self.ggufRopeScaling(meta, arch: a, contextLength: contextLength),
            tieWordEmbeddings: !hasOutputTensor,
            qkvBias: architecture == .qwen2 || architecture == .qwen2moe,
            qkNorm: architecture == .qwen3 || architecture == .qwen3moe || architecture == .gemma3,
            bosTokenID: try meta.int("tokenizer.ggml.bos_token_id"),
            eosTokenIDs: eosTokenIDs,
            slidingWindow: try meta.int("\(a).attention.sliding_window"),
            hiddenActivation: architecture == .gemma3 ? .geluTanh : .silu,
            postNorms: architecture == .gemma3,
            gemma: gemma,
            moe: try Self.ggufMixtureOfExperts(meta, architecture: architecture, arch: a, intermediateSize: intermediateSize))
        try validate(file: path) { field in
            switch field {
            case .numLayers: return "\(a).block_count"
            case .hiddenSize: return "\(a).embedding_length"
            case .intermediateSize: return "\(a).feed_forward_length"
            case .numHeads: return "\(a).attention.head_count"
            case .numKVHeads: return "\(a).attention.head_count_kv"
            case .headDim: return "\(a).attention.key_length"
            case .vocabSize: return "\(a).vocab_size"
            case .maxPositionEmbeddings: return "\(a).context_length"
            case .rmsNormEps: return "\(a).attention.layer_norm_rms_epsilon"
            case .ropeTheta: return "\(a).rope.freq_base"
            case .bosTokenID: return "tokenizer.ggml.bos_token_id"
            case .eosTokenIDs: return "tokenizer.ggml.eos_token_id"
            case .slidingWindow: return "\(a).attention.sliding_window"
            case .numExperts: return "\(a).expert_count"
            case .numExpertsUsed: return "\(a).expert_used_count"
            case .expertIntermediateSize: return "\(a).expert_feed_forward_length"
            case .sharedExpertIntermediateSize: return "\(a).expert_shared_feed_forward_length"
            case .routedScalingFactor: return "\(a).expert_weights_scale"
            }
        }
    }

    /// The experts of a Mixtral-style llama file (`llama.expert_count` > 0), a qwen2moe file (with
    /// its shared expert) or a qwen3moe file; nil for a dense file. Only softmax routing is read
    /// (`{arch}.expert_gating_func` 1 or absent); top-k renormalization follows llama.cpp (on for
    /// llama and qwen3moe, off for qwen2moe) unless `{arch}.expert_weights_norm` says otherwise.
    private static func ggufMixtureOfExperts(_ meta: GGUFMetadataFields, architecture: Architecture, arch a: String,
                                             intermediateSize: Int) throws -> MixtureOfExperts? {
        let isMoE = architecture == .qwen2moe || architecture == .qwen3moe
        guard let numExperts = try meta.int("\(a).expert_count"), numExperts > 0 || isMoE else {
            if isMoE { throw ModelConfigError.missingField(file: meta.path, field: "\(a).expert_count") }
            return nil
        }
        guard architecture == .llama || isMoE else {
            throw ModelConfigError.invalidValue(file: meta.path, field: "\(a).expert_count", value: "\(numExperts)",
                                                reason: "mixture-of-experts layers are read for llama, qwen2moe and qwen3moe files only")
        }
        if let gating = try meta.int("\(a).expert_gating_func"), gating != 1 {
            throw ModelConfigError.invalidValue(file: meta.path, field: "\(a).expert_gating_func", value: "\(gating)",
                                                reason: "only softmax routing (1) is supported")
        }
        let used = try meta.requiredInt("\(a).expert_used_count")
        let storedExpertSize = try meta.int("\(a).expert_feed_forward_length")
        var expertSize = storedExpertSize ?? intermediateSize
        if architecture == .qwen3moe, storedExpertSize == nil, used > 0 {
            expertSize = intermediateSize / used  // llama.cpp's fallback for qwen3moe files without the key
        }
        var normalize = architecture != .qwen2moe
        if case .bool(let stored)? = meta.values["\(a).expert_weights_norm"] { normalize = stored }
        let scale = try meta.float("\(a).expert_weights_scale") ?? 0
        var shared: Int?
        if architecture == .qwen2moe {
            shared = try meta.int("\(a).expert_shared_feed_forward_length") ?? intermediateSize
        }
        return MixtureOfExperts(numExperts: numExperts, numExpertsUsed: used, expertIntermediateSize: expertSize,
                                normalizeTopKProbabilities: normalize, routedScalingFactor: scale == 0 ? 1 : scale,
                                sharedExpertIntermediateSize: shared)
    }

    private static func ggufRopeScaling(_ meta: GGUFMetadataFields, arch a: String, contextLength: Int) throws -> RopeScaling? {
        func factor() throws -> Float {
            let key = "\(a).rope.scaling.factor"
            guard let value = try meta.float(key) else { throw ModelConfigError.missingField(file: meta.path, field: key) }
            guard value > 0, value.isFinite else {
                throw ModelConfigError.invalidValue(file: meta.path, field: key, value: "\(value)", reason: "must be positive")
            }
            return value
        }
        switch try meta.string("\(a).rope.scaling.type") {
        case nil, "none":
            return nil
        case "linear":
            return .linear(factor: try factor())
        case "yarn":
            let original = try meta.int("\(a).rope.scaling.original_context_length") ?? contextLength
            guard original > 0 else {
                throw ModelConfigError.invalidValue(file: meta.path, field: "\(a).rope.scaling.original_context_length",
                                                    value: "\(original)", reason: "must be positive")
            }
            return .yarn(factor: try factor(), originalMaxPositionEmbeddings: original,
                         betaFast: try meta.float("\(a).rope.scaling.yarn_beta_fast") ?? 32,
                         betaSlow: try meta.float("\(a).rope.scaling.yarn_beta_slow") ?? 1,
                         attentionFactor: try meta.float("\(a).rope.scaling.attn_factor"))
        case let other?:
            throw ModelConfigError.unsupportedRopeScaling(file: meta.path, type: other, supported: ["none", "linear", "yarn"])
        }
    }
}

/// Typed access to GGUF metadata values with errors naming the key.
struct GGUFMetadataFields {
    let values: [String: GGUFValue]
    let path: String

    func int(_ key: String) throws -> Int? {
        guard let value = values[key] else { return nil }
        guard let int = value.intValue else {
            throw ModelConfigError.wrongType(file: path, field: key, expected: "an integer that fits in Int")
        }
        return int
    }

    func requiredInt(_ key: String) throws -> Int {
        guard let value = try int(key) else { throw ModelConfigError.missingField(file: path, field: key) }
        return value
    }

    func float(_ key: String) throws -> Float? {
        guard let value = values[key] else { return nil }
        guard let double = value.doubleValue else {
            throw ModelConfigError.wrongType(file: path, field: key, expected: "a number")
        }
        if case .float32(let exact) = value { return exact }
        return Float(double)
    }

    func requiredFloat(_ key: String) throws -> Float {
        guard let value = try float(key) else { throw ModelConfigError.missingField(file: path, field: key) }
        return value
    }

    func string(_ key: String) throws -> String? {
        guard let value = values[key] else { return nil }
        guard let string = value.stringValue else {
            throw ModelConfigError.wrongType(file: path, field: key, expected: "a string")
        }
        return string
    }
}
