/// What stopped a completion that finished with finish reason `.stop`, as vLLM's `stop_reason`:
/// a stop token id (from `stopTokenIDs`) or a stop string (from `stop`). It is nil when the
/// end-of-sequence token stopped it, or when it finished for another reason.
public enum StopReason: Sendable, Equatable, CustomStringConvertible {
    /// A token id from the request's `stopTokenIDs`.
    case tokenID(Int)
    /// A string from the request's `stop` list, found in the output text.
    case text(String)

    public var description: String {
        switch self {
        case .tokenID(let id): return "\(id)"
        case .text(let text): return text
        }
    }
}
