import ModelFormats

extension SamplingParams {
    /// The engine defaults overridden by the model's generation_config.json (vLLM
    /// `--generation-config auto`): only temperature, top_p, top_k, min_p, repetition_penalty and
    /// max_new_tokens (as `maxTokens`), and only those the file sets.
    public static func modelDefaults(_ config: GenerationConfig?) -> SamplingParams {
        var params = SamplingParams()
        guard let config else { return params }
        if let value = config.temperature { params.temperature = value }
        if let value = config.topP { params.topP = value }
        if let value = config.topK { params.topK = value }
        if let value = config.minP { params.minP = value }
        if let value = config.repetitionPenalty { params.repetitionPenalty = value }
        if let value = config.maxNewTokens { params.maxTokens = value }
        return params
    }
}
