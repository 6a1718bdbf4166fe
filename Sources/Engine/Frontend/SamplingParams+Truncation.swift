extension SamplingParams {
    /// The prompt as it enters the engine under `truncatePromptTokens`: its last N tokens (left
    /// truncation, as vLLM's tokenizer side "left"), or all of it when nil or shorter.
    ///
    /// vLLM maps -1 to max-model-len; this engine needs one position left to generate into (a
    /// prompt must be shorter than max-model-len), so -1 keeps the last `maxModelLen - 1` tokens.
    /// - Throws: `GenerationError.invalidParams` when N is above max-model-len (as vLLM) or is
    ///   neither -1 nor at least 1.
    public func truncatedPrompt(_ prompt: [Int], maxModelLen: Int) throws -> [Int] {
        guard let limit = truncatePromptTokens else { return prompt }
        let keep: Int
        if limit == -1 {
            keep = max(maxModelLen - 1, 1)
        } else if limit >= 1 {
            guard limit <= maxModelLen else {
                throw GenerationError.invalidParams(
                    "truncate_prompt_tokens (\(limit)) is greater than max_model_len (\(maxModelLen)): choose a smaller truncation size")
            }
            keep = limit
        } else {
            throw GenerationError.invalidParams("truncate_prompt_tokens must be -1 or at least 1, got \(limit)")
        }
        return prompt.count > keep ? Array(prompt.suffix(keep)) : prompt
    }
}
