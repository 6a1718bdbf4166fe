import Testing
import KVCache
@testable import Engine

/// A deterministic stand-in for the model runner. It keeps a fake KV cache (the token id written
/// into each slot) and makes each next token a pure function of the sequence it READS BACK from
/// its block table, so a wrong block table, slot or prefix-cache hit changes the output.
final class FakeExecutor: ModelExecutor {
    let blockSize: Int
    /// Token id stored in each slot, -1 when never written. [numBlocks * blockSize]
    var slots: [Int]
    /// Every step's chunks as (request id, start position, number of tokens).
    var steps: [[Chunk]] = []
    /// The fake model: the next token of a sequence (`nextToken` unless a test sets another).
    var model: ([Int]) -> Int = FakeExecutor.nextToken

    struct Chunk: Equatable, CustomStringConvertible {
        var id: String
        var start: Int
        var count: Int
        var description: String { "\(id)@\(start)+\(count)" }
    }

    init(numBlocks: Int, blockSize: Int) {
        self.blockSize = blockSize
        slots = [Int](repeating: -1, count: numBlocks * blockSize)
    }

    /// The fake model: a fold of the whole sequence into 100..<1000.
    static func nextToken(_ sequence: [Int]) -> Int {
        var h: UInt64 = 1469598103934665603
        for token in sequence { h = (h ^ UInt64(token)) &* 1099511628211 }
        return 100 + Int(h % 900)
    }

    /// What a request with `prompt` produces in `count` steps, with nothing in the way.
    static func reference(prompt: [Int], count: Int) -> [Int] {
        var sequence = prompt
        for _ in 0..<count { sequence.append(nextToken(sequence)) }
        return Array(sequence[prompt.count...])
    }

    func execute(_ output: SchedulerOutput) throws -> ModelRunnerOutput {
        steps.append(output.chunks.map { Chunk(id: $0.requestID, start: $0.startPosition, count: $0.numTokens) })
        var sampled = [Int?](repeating: nil, count: output.chunks.count)
        var accepted = [Int](repeating: 0, count: output.chunks.count)
        for (index, chunk) in output.chunks.enumerated() {
            for (offset, token) in chunk.tokenIDs.enumerated() {
                slots[slot(chunk.blockIDs, chunk.startPosition + offset)] = token
            }
            guard chunk.samples else { continue }
            // each row samples from the sequence read back up to it; drafts are taken while they match
            let drafts = chunk.draftTokenIDs
            let end = chunk.startPosition + chunk.numTokens - drafts.count
            var token = model((0..<end).map { slots[slot(chunk.blockIDs, $0)] })
            while accepted[index] < drafts.count && token == drafts[accepted[index]] {
                accepted[index] += 1
                token = model((0..<(end + accepted[index])).map { slots[slot(chunk.blockIDs, $0)] })
            }
            sampled[index] = token
        }
        var result = ModelRunnerOutput(sampledTokenIDs: sampled)
        result.numAcceptedDrafts = accepted
        return result
    }

    private func slot(_ blockIDs: [Int], _ position: Int) -> Int {
        blockIDs[position / blockSize] * blockSize + position % blockSize
    }
}

/// An engine core over a fake executor, plus helpers to drive it.
struct FakeEngine {
    let core: EngineCore
    let executor: FakeExecutor
    /// Output tokens and finish reasons collected by `run`.
    var tokens: [String: [Int]] = [:]
    var finishReasons: [String: FinishReason] = [:]

    init(numBlocks: Int, blockSize: Int = 4, maxModelLen: Int = 64, maxNumBatchedTokens: Int = 16, maxNumSeqs: Int = 8,
         prefixCaching: Bool = true, policy: SchedulingPolicy = .fcfs, eos: Set<Int> = [],
         speculative: SpeculativeConfig? = nil, model: (([Int]) -> Int)? = nil, proposer: (any DraftProposer)? = nil) {
        executor = FakeExecutor(numBlocks: numBlocks, blockSize: blockSize)
        if let model { executor.model = model }
        var config = SchedulerConfig(maxModelLen: maxModelLen, maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens,
                                     blockSize: blockSize, numBlocks: numBlocks, enablePrefixCaching: prefixCaching,
                                     schedulingPolicy: policy)
        config.speculativeConfig = speculative
        core = EngineCore(executor: executor, config: config, vocabSize: 1000, eosTokenIDs: eos, proposer: proposer)
    }

    func add(_ id: String, prompt: [Int], maxTokens: Int, priority: Int = 0, ignoreEOS: Bool = true,
             stop: [Int] = []) throws {
        try core.addRequest(requestID: id, promptTokenIDs: prompt,
                            params: SamplingParams(temperature: 0, maxTokens: maxTokens, ignoreEOS: ignoreEOS, stopTokenIDs: stop),
                            priority: priority)
    }

    /// One step; collects outputs; checks the block bookkeeping after it.
    @discardableResult
    mutating func step() throws -> [EngineCoreOutput] {
        let outputs = try core.step()
        for output in outputs {
            tokens[output.requestID, default: []] += output.newTokenIDs
            if let reason = output.finishReason { finishReasons[output.requestID] = reason }
        }
        let problems = core.scheduler.kvCacheManager.checkInvariants()
        #expect(problems.isEmpty, "\(problems)")
        return outputs
    }

    /// Runs and applies a step scheduled by hand (to look at it first); collects its outputs.
    mutating func execute(_ scheduled: SchedulerOutput) throws {
        let outputs = core.scheduler.update(scheduled, try executor.execute(scheduled))
        for output in outputs {
            tokens[output.requestID, default: []] += output.newTokenIDs
            if let reason = output.finishReason { finishReasons[output.requestID] = reason }
        }
        let problems = core.scheduler.kvCacheManager.checkInvariants()
        #expect(problems.isEmpty, "\(problems)")
    }

    /// Steps until nothing is left (at most `maxSteps`); returns the number of steps.
    mutating func run(maxSteps: Int = 1000) throws -> Int {
        var numSteps = 0
        while core.hasUnfinishedRequests && numSteps < maxSteps {
            try step()
            numSteps += 1
        }
        return numSteps
    }

    /// True when every block is free and no request holds any.
    var allBlocksFree: Bool {
        let manager = core.scheduler.kvCacheManager
        return manager.pool.numFreeBlocks == manager.pool.numBlocks && manager.numRequests == 0
    }

    /// Chunks of step `index` (0-based) as "id@start+count" strings.
    func chunks(_ index: Int) -> [String] { executor.steps[index].map(\.description) }
}

/// `count` distinct prompt tokens from `seed` (ids 1..<100).
func prompt(_ count: Int, seed: Int) -> [Int] {
    (0..<count).map { 1 + (seed * 37 + $0 * 11) % 99 }
}
