import Engine

/// `stop_reason`: the stop token id (a number) or the stop string that ended a completion.
enum StopReasonValue: Encodable, Sendable, Equatable {
    case tokenID(Int)
    case text(String)

    init?(_ reason: StopReason?) {
        switch reason {
        case .tokenID(let id): self = .tokenID(id)
        case .text(let text): self = .text(text)
        case nil: return nil
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .tokenID(let id): try container.encode(id)
        case .text(let text): try container.encode(text)
        }
    }
}

extension FinishReason {
    /// The OpenAI spelling.
    var apiName: String {
        switch self {
        case .stop: return "stop"
        case .length: return "length"
        case .abort: return "abort"
        }
    }
}
