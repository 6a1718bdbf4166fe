extension ServingContext {
    /// vLLM's checks of the request fields themselves (its protocol layer), before any tokenizing.
    func checkFields(_ fields: SamplingFields) throws {
        let streaming = fields.stream ?? false
        if streaming, fields.promptLogprobs != nil {
            throw APIError.badRequest("`prompt_logprobs` are not available when `stream=True`.", param: "prompt_logprobs")
        }
        if !streaming, let options = fields.streamOptions, options.includeUsage != nil || options.continuousUsageStats != nil {
            throw APIError.badRequest("Stream options can only be defined when `stream=True`.", param: "stream_options")
        }
        if let stop = fields.stop, stop.values.count > Self.maxStopStrings {
            throw APIError.badRequest("stop takes at most \(Self.maxStopStrings) strings, got \(stop.values.count)", param: "stop")
        }
        if let salt = fields.cacheSalt {
            guard !salt.isEmpty else {
                throw APIError.badRequest("Parameter 'cache_salt' must be a non-empty string if provided.", param: "cache_salt")
            }
            guard salt.unicodeScalars.count <= 128, !salt.unicodeScalars.contains(where: { "@/\\\u{0}".unicodeScalars.contains($0) }) else {
                throw APIError.badRequest("Parameter 'cache_salt' must be at most 128 characters and must not contain '@', '/', '\\', or NUL.",
                                          param: "cache_salt")
            }
        }
    }

    /// vLLM's defaults for the most stop strings (VLLM_MAX_STOP_STRINGS), prompts in one
    /// completions request and bad words after tokenization.
    static let maxStopStrings = 4
    static let maxPrompts = 1024
    static let maxBadWords = 128
}
