extension ServingContext {
    /// vLLM refuses prompt logprobs on streams.
    func checkPromptLogprobs(_ fields: SamplingFields) throws {
        if fields.stream ?? false, fields.promptLogprobs != nil {
            throw APIError.badRequest("`prompt_logprobs` are not available when `stream=True`.", param: "prompt_logprobs")
        }
    }
}
