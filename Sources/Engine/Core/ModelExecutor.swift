/// Runs one scheduled step and samples: the model runner, or a fake in tests.
public protocol ModelExecutor: AnyObject {
    /// Runs every chunk of `output` in one batch; samples one token per chunk that `samples`
    /// (with the request's params and its own generator).
    func execute(_ output: SchedulerOutput) throws -> ModelRunnerOutput
}

/// What a step produced, aligned with `SchedulerOutput.chunks` (vLLM `ModelRunnerOutput`).
public struct ModelRunnerOutput: Sendable {
    /// The sampled token of each chunk; nil for chunks that do not sample. [numChunks]
    public var sampledTokenIDs: [Int?]
    /// Logprobs of each sampled token, when the request asked for them. [numChunks]
    public var logprobs: [TokenLogprobs?]
    /// Prompt logprobs computed by each chunk: entries for prompt positions
    /// `startPosition + 1`, `startPosition + 2`, ... (row r predicts the token after it). [numChunks]
    public var promptLogprobs: [[TokenLogprobs]?]
    /// Speculative decoding: how many of each chunk's draft tokens were accepted (the leading ones);
    /// its sampled token then follows them. [numChunks]
    public var numAcceptedDrafts: [Int]
    /// Logprobs of each chunk's accepted drafts, when the request asked for logprobs. [numChunks]
    public var draftLogprobs: [[TokenLogprobs]?]

    public init(sampledTokenIDs: [Int?], logprobs: [TokenLogprobs?], promptLogprobs: [[TokenLogprobs]?]) {
        self.sampledTokenIDs = sampledTokenIDs
        self.logprobs = logprobs
        self.promptLogprobs = promptLogprobs
        numAcceptedDrafts = [Int](repeating: 0, count: sampledTokenIDs.count)
        draftLogprobs = [[TokenLogprobs]?](repeating: nil, count: sampledTokenIDs.count)
    }

    /// Sampled tokens only (no logprobs), for fakes.
    public init(sampledTokenIDs: [Int?]) {
        self.init(sampledTokenIDs: sampledTokenIDs,
                  logprobs: [TokenLogprobs?](repeating: nil, count: sampledTokenIDs.count),
                  promptLogprobs: [[TokenLogprobs]?](repeating: nil, count: sampledTokenIDs.count))
    }
}
