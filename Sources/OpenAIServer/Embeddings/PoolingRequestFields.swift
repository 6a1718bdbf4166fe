import Engine

/// The fields every pooling request shares (vLLM's PoolingBasicRequestMixin: embeddings, score,
/// rerank) and their checks: a 400 naming the first one this server refuses.
protocol PoolingRequestFields {
    /// Keep this many tokens of each input (-1: the model's limit); `truncationSide` says which end.
    var truncatePromptTokens: Int? { get }
    var truncationSide: String? { get }
    var padding: String? { get }
    var priority: Int? { get }
}

extension PoolingRequestFields {
    /// Which end truncation cuts ("left", the default, keeps the last tokens).
    var side: TruncationSide { truncationSide == "right" ? .right : .left }

    func checkPoolingFields() -> APIError? {
        if let truncate = truncatePromptTokens, truncate < -1 || truncate == 0 {
            return .badRequest("truncate_prompt_tokens must be -1 or at least 1, got \(truncate)", param: "truncate_prompt_tokens")
        }
        if let side = truncationSide, !["left", "right"].contains(side) {
            return .badRequest("truncation_side must be 'left' or 'right', got '\(side)'", param: "truncation_side")
        }
        if let padding, padding != "do_not_pad" {
            return .badRequest(padding == "max_length" ? "padding 'max_length' is not supported by this server" : "padding must be 'max_length' or 'do_not_pad', got '\(padding)'",
                               param: "padding")
        }
        if let priority, priority != 0 {
            return .badRequest("priority \(priority): the embedding model does not use priority scheduling", param: "priority")
        }
        return nil
    }
}
