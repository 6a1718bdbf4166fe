/// One request's share of a step: `numTokens` tokens from `startPosition` (vLLM
/// `num_scheduled_tokens` per request, with its block table).
public struct ScheduledChunk {
    /// The request (the runner samples with its params and generator).
    public let request: Request
    /// Position of the first token of the chunk (= numComputedTokens before the step).
    public let startPosition: Int
    /// Tokens in the batch: the request's own, then `draftTokenIDs`.
    public let numTokens: Int
    /// Draft tokens (speculative decoding) that follow the request's tokens in this chunk, each
    /// verified by the logits row of the token before it.
    public var draftTokenIDs: [Int] = []
    /// The request's block table after allocation: block ids in sequence order.
    public let blockIDs: [Int]
    /// Its table in the sliding-window pool (null block where blocks left the window); empty
    /// without one.
    public var slidingBlockIDs: [Int] = []
    /// True when the chunk reaches the last known token, so a token is sampled from its last row.
    public let samples: Bool
    /// True when the chunk's prompt positions need prompt logprobs.
    public let wantsPromptLogprobs: Bool

    public var requestID: String { request.requestID }
    /// The token at `position` (startPosition..<startPosition + numTokens): the request's own,
    /// then the drafts after its last.
    public func tokenID(at position: Int) -> Int {
        position < request.numTokens ? request.allTokenIDs[position] : draftTokenIDs[position - request.numTokens]
    }
    /// The chunk's token ids (drafts included).
    public var tokenIDs: [Int] { (startPosition..<(startPosition + numTokens)).map(tokenID(at:)) }
}

/// What one step runs (vLLM `SchedulerOutput`): running requests first, then newly admitted ones.
public struct SchedulerOutput {
    /// Chunks in batch order.
    public var chunks: [ScheduledChunk] = []
    /// Requests scheduled for the first time this step.
    public var newRequestIDs: [String] = []
    /// Preempted requests scheduled again this step.
    public var resumedRequestIDs: [String] = []
    /// Requests preempted while scheduling this step.
    public var preemptedRequestIDs: [String] = []
    /// Requests that finished or were aborted since the previous step (runners may drop state).
    public var finishedRequestIDs: [String] = []
    /// KV pulled from elsewhere to write into blocks before the step runs.
    public var kvLoads: [KVLoad] = []

    /// Tokens in the step's batch.
    public var numScheduledTokens: Int { chunks.reduce(0) { $0 + $1.numTokens } }
    public var isEmpty: Bool { chunks.isEmpty }
}

/// KV bytes for some blocks (`KVCacheStorage.copyBlocks` layout), written before a step's forward.
public struct KVLoad: Sendable, Equatable {
    public var blockIDs: [Int]
    public var bytes: [UInt8]
}
