/// Why a request stopped, as vLLM reports it.
public enum FinishReason: String, Sendable, Codable {
    /// An end-of-sequence token, a stop token id or a stop string.
    case stop
    /// `max_tokens` or the model's context length.
    case length
    /// Cancelled before it finished.
    case abort
}
