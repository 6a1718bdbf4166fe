import KVCache
import KVEvents
import StructuredOutputs

/// One generation request as the engine core tracks it: its tokens, progress, sampling state and
/// prefix-cache identity (vLLM `vllm/v1/request.py`). Owned and mutated by the scheduler only.
public final class Request {
    public let requestID: String
    public let promptTokenIDs: [Int]
    public let params: SamplingParams
    /// Tokens sampled so far (kept across preemptions; recomputed as part of the sequence).
    public internal(set) var outputTokenIDs: [Int] = []
    /// Prompt then output tokens. [numTokens]
    public internal(set) var allTokenIDs: [Int]
    /// Tokens whose KV is in the cache (or scheduled to be written this step, drafts included
    /// until the step's update takes the rejected ones back).
    public internal(set) var numComputedTokens = 0
    /// Draft tokens (speculative decoding) to verify after the last token in the next step; not
    /// part of `allTokenIDs` until accepted.
    public internal(set) var specTokenIDs: [Int] = []
    /// How many drafts to propose next (speculative decoding adapts it to the request's accepted
    /// runs); nil until its first verification, then the configured number is the cap.
    public internal(set) var draftLength: Int?
    /// A draft model's progress: the leading tokens whose draft KV is in the request's blocks
    /// (`DraftModelProposer`); 0 after a preemption.
    public internal(set) var numDraftComputedTokens = 0
    /// The draft tokens the draft model fed after those (their KV written at the following
    /// positions): valid for as many of them as the step accepted.
    var draftKVTail: [Int] = []
    /// Drafting's back-off: proposals to skip (rejected drafts cost verification work and a draft
    /// model's passes, so from the second verification in a row that accepted nothing the request
    /// waits 1, 2, 4, ... up to 16 steps; an accepted draft resets it), and the verifications in a row that
    /// accepted nothing.
    var draftPauseSteps = 0
    var numFailedVerifications = 0
    public internal(set) var status: RequestStatus = .waiting
    /// Order of arrival (seconds or a counter); earlier is smaller.
    public let arrivalTime: Double
    /// Smaller is more important (vLLM's convention); only used by `SchedulingPolicy.priority`.
    public let priority: Int
    /// Separates prefix-cache entries of different tenants (part of every block hash).
    public let cacheSalt: String?
    /// Hashes of every full block of `allTokenIDs`, extended as output blocks fill.
    public internal(set) var blockHashes: [BlockHash] = []
    /// vLLM's `sha256_cbor` hashes of the full blocks, computed only for KV cache events
    /// (`KVEventRecorder`), as far as a published block needed them.
    public internal(set) var eventBlockHashes: [[UInt8]] = []
    /// Prefill/decode disaggregation: what the request's `kv_transfer_params` asked for.
    public internal(set) var kvTransfer: KVTransferParams?
    /// KV of the first prompt tokens pulled from a prefill instance, loaded into the request's
    /// blocks when it is first scheduled (then dropped: a preempted request recomputes).
    var externalKV: ExternalKV?
    /// This request's own random generator (seeded from `params.seed`, else a random seed).
    public var generator: RandomGenerator
    public internal(set) var numPreemptions = 0
    /// Token ids that end the request unless `params.ignoreEOS`.
    public let eosTokenIDs: Set<Int>
    /// Prompt tokens served from the prefix cache at the first scheduling; nil before it.
    public internal(set) var numCachedTokens: Int?
    /// The token that stopped the request, if one did.
    public internal(set) var stopReason: Int?
    /// When the scheduler first ran the request (`EngineMetrics.monotonicSeconds()`), for the
    /// queue-time metric only; nil before it.
    public internal(set) var firstScheduledTime: Double?
    /// Prompt logprobs by position (index 0 stays nil), filled chunk by chunk when asked for.
    var promptLogprobs: [TokenLogprobs?] = []
    /// True once the prompt logprobs went out in an output.
    var sentPromptLogprobs = false
    /// Token counts for the penalties, kept up to date by the model runner (nil without penalties).
    var tokenCounts: TokenCounts?
    /// The structured-output matcher, when the request has a constraint; it takes every sampled token.
    public internal(set) var grammar: GrammarMatcher?
    /// [vocabulary words] the tokens the grammar allows at this step, reused every step.
    var grammarBitmask: [UInt32] = []
    /// False while the request is reasoning (`params.reasoningDelimiters`): the grammar neither
    /// masks nor takes tokens until then. Set from the prompt, then by the token that completes
    /// the end tag; kept across preemptions with the output tokens (vLLM `reasoning_ended`).
    public internal(set) var reasoningEnded: Bool

    /// A request for `promptTokenIDs`; validation happens in `EngineCore.addRequest`.
    public init(requestID: String, promptTokenIDs: [Int], params: SamplingParams, arrivalTime: Double,
                priority: Int = 0, cacheSalt: String? = nil, eosTokenIDs: Set<Int> = []) {
        self.requestID = requestID
        self.promptTokenIDs = promptTokenIDs
        self.allTokenIDs = promptTokenIDs
        self.params = params
        self.arrivalTime = arrivalTime
        self.priority = priority
        self.cacheSalt = cacheSalt
        self.eosTokenIDs = eosTokenIDs
        self.generator = RandomGenerator(seed: params.seed ?? UInt64.random(in: 0...UInt64.max))
        self.reasoningEnded = params.reasoningDelimiters?.isReasoningEnd(promptTokenIDs) ?? true
        if params.promptLogprobs != nil {
            promptLogprobs = [TokenLogprobs?](repeating: nil, count: promptTokenIDs.count)
        }
    }

    public var numPromptTokens: Int { promptTokenIDs.count }
    public var numOutputTokens: Int { outputTokenIDs.count }
    public var numTokens: Int { allTokenIDs.count }
    public var isFinished: Bool { status.isFinished }

    /// True while prompt logprobs are asked for and not yet sent.
    var needsPromptLogprobs: Bool { params.promptLogprobs != nil && !sentPromptLogprobs }

    /// Appends a sampled token.
    func appendOutputToken(_ token: Int) {
        outputTokenIDs.append(token)
        allTokenIDs.append(token)
    }

    /// What the sampler needs for this request's next token: the penalty counts brought up to
    /// date, and the tokens the grammar allows once the reasoning (if any) has ended.
    func samplingHistory() -> SamplingHistory {
        if params.hasPenalties {
            let counts = tokenCounts ?? TokenCounts(promptTokenIDs: promptTokenIDs)
            counts.update(outputTokenIDs: outputTokenIDs)
            tokenCounts = counts
        }
        var history = SamplingHistory(outputTokenIDs: outputTokenIDs, eosTokenIDs: eosTokenIDs, tokenCounts: tokenCounts)
        if let grammar, reasoningEnded {
            grammar.fillBitmask(&grammarBitmask)
            history.allowedTokenBitmask = grammarBitmask
        }
        return history
    }

    /// Gives a sampled token, already appended, to the grammar, or while reasoning notes whether it
    /// closed the reasoning (the end tag's tokens never reach the grammar). False when the grammar
    /// refuses the token.
    func advanceGrammar(_ token: Int) -> Bool {
        guard reasoningEnded else {
            reasoningEnded = params.reasoningDelimiters?.closesReasoning(allTokenIDs) ?? true
            return true
        }
        return grammar?.acceptToken(token) ?? true
    }

    /// Brings `eventBlockHashes` up to every full block of `allTokenIDs` when fewer than `count` are there.
    func updateEventBlockHashes(hasher: SHA256CBORBlockHasher, blockSize: Int, count: Int) {
        guard eventBlockHashes.count < count else { return }
        hasher.appendHashes(to: &eventBlockHashes, tokenIDs: allTokenIDs, blockSize: blockSize, cacheSalt: cacheSalt)
    }

    /// Brings `blockHashes` up to every full block of `allTokenIDs` (O(new blocks)).
    func updateBlockHashes(manager: KVCacheManager) {
        guard allTokenIDs.count / manager.blockSize > blockHashes.count else { return }
        manager.appendBlockHashes(to: &blockHashes, tokenIDs: allTokenIDs, extraKeys: cacheSalt)
    }
}
