/// Where a request is in its life (vLLM `RequestStatus`).
public enum RequestStatus: String, Sendable, Equatable {
    /// Queued, never scheduled.
    case waiting
    /// Holds KV blocks and is scheduled every step.
    case running
    /// Lost its blocks to make room; queued again and recomputed from its tokens.
    case preempted
    /// Ended by an end-of-sequence or stop token.
    case finishedStopped
    /// Ended by `maxTokens` or the context length.
    case finishedLengthCapped
    /// Cancelled.
    case finishedAborted

    /// True for the three finished states.
    public var isFinished: Bool {
        switch self {
        case .finishedStopped, .finishedLengthCapped, .finishedAborted: return true
        case .waiting, .running, .preempted: return false
        }
    }

    /// The reason reported to the client, for a finished state.
    public var finishReason: FinishReason? {
        switch self {
        case .finishedStopped: return .stop
        case .finishedLengthCapped: return .length
        case .finishedAborted: return .abort
        case .waiting, .running, .preempted: return nil
        }
    }
}

/// How the scheduler orders the waiting queue and picks a preemption victim.
public enum SchedulingPolicy: String, Sendable, Equatable {
    /// First come, first served; the newest running request is preempted first.
    case fcfs
    /// Smaller `priority` first, then earlier arrival; the largest (priority, arrival) is preempted first.
    case priority
}
