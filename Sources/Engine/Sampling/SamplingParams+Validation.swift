extension SamplingParams {
    /// Checks every field against its range (vLLM's `_verify_args` and the logits-processor
    /// checks); the error names the field with its vLLM spelling.
    public func validate(vocabSize: Int, maxLogprobs: Int = 20) throws(SamplingParamsError) {
        guard n >= 1 else {
            throw .outOfRange(field: "n", value: "\(n)", expected: "at least 1")
        }
        guard n <= Self.maxN else {
            throw .outOfRange(field: "n", value: "\(n)", expected: "at most \(Self.maxN)")
        }
        guard temperature.isFinite, temperature >= 0, temperature <= 2 else {
            throw .outOfRange(field: "temperature", value: "\(temperature)", expected: "in [0, 2]")
        }
        guard topP.isFinite, topP > 0, topP <= 1 else {
            throw .outOfRange(field: "top_p", value: "\(topP)", expected: "in (0, 1]")
        }
        guard topK >= -1 else {
            throw .outOfRange(field: "top_k", value: "\(topK)", expected: "-1, 0 (off) or a positive count")
        }
        guard minP.isFinite, minP >= 0, minP <= 1 else {
            throw .outOfRange(field: "min_p", value: "\(minP)", expected: "in [0, 1]")
        }
        for (field, value) in [("presence_penalty", presencePenalty), ("frequency_penalty", frequencyPenalty)] {
            guard value.isFinite, value >= -2, value <= 2 else {
                throw .outOfRange(field: field, value: "\(value)", expected: "in [-2, 2]")
            }
        }
        guard repetitionPenalty.isFinite, repetitionPenalty > 0 else {
            throw .outOfRange(field: "repetition_penalty", value: "\(repetitionPenalty)", expected: "a number > 0")
        }
        guard maxTokens >= 1 else {
            throw .outOfRange(field: "max_tokens", value: "\(maxTokens)", expected: "at least 1")
        }
        guard minTokens >= 0, minTokens <= maxTokens else {
            throw .outOfRange(field: "min_tokens", value: "\(minTokens)", expected: "in 0...max_tokens (\(maxTokens))")
        }
        try Self.checkIDs(stopTokenIDs, field: "stop_token_ids", vocabSize: vocabSize)
        for (field, value) in [("logprobs", logprobs), ("prompt_logprobs", promptLogprobs)] {
            if let value, value < 0 || value > maxLogprobs {
                throw .outOfRange(field: field, value: "\(value)", expected: "0...\(maxLogprobs) (--max-logprobs)")
            }
        }
        if stop.contains(where: \.isEmpty) {
            throw .outOfRange(field: "stop", value: "\"\"", expected: "non-empty strings")
        }
        if badWords.contains(where: \.isEmpty) {
            throw .outOfRange(field: "bad_words", value: "\"\"", expected: "non-empty strings")
        }
        for (id, bias) in logitBias.sorted(by: { $0.key < $1.key }) {
            guard id >= 0, id < vocabSize else {
                throw .outOfRange(field: "logit_bias", value: "token id \(id)", expected: "keyed by token ids below \(vocabSize)")
            }
            guard !bias.isNaN else {
                throw .outOfRange(field: "logit_bias", value: "\(bias) for token id \(id)", expected: "a number")
            }
        }
        if let allowedTokenIDs {
            guard !allowedTokenIDs.isEmpty else {
                throw .outOfRange(field: "allowed_token_ids", value: "[]", expected: "a non-empty list")
            }
            try Self.checkIDs(allowedTokenIDs, field: "allowed_token_ids", vocabSize: vocabSize)
        }
        for sequence in badWordsTokenIDs {
            guard !sequence.isEmpty else {
                throw .outOfRange(field: "bad_words", value: "[]", expected: "non-empty token id sequences")
            }
            try Self.checkIDs(sequence, field: "bad_words", vocabSize: vocabSize)
        }
        if let reasoningDelimiters {
            guard !reasoningDelimiters.endTokenIDs.isEmpty else {
                throw .outOfRange(field: "reasoning_delimiters", value: "no end tag ids", expected: "the end tag's token ids")
            }
            try Self.checkIDs(reasoningDelimiters.startTokenIDs + reasoningDelimiters.endTokenIDs, field: "reasoning_delimiters",
                              vocabSize: vocabSize)
        }
        if let truncatePromptTokens, truncatePromptTokens < 1, truncatePromptTokens != -1 {
            throw .outOfRange(field: "truncate_prompt_tokens", value: "\(truncatePromptTokens)",
                              expected: "at least 1, or -1 (the model's context length)")
        }
    }

    /// The most completions one request may ask for (vLLM's VLLM_MAX_N_SEQUENCES default).
    public static let maxN = 16384

    private static func checkIDs(_ ids: [Int], field: String, vocabSize: Int) throws(SamplingParamsError) {
        for id in ids where id < 0 || id >= vocabSize {
            throw .outOfRange(field: field, value: "\(id)", expected: "a token id below \(vocabSize)")
        }
    }
}
