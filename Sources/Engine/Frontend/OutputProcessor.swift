import SwiftletTokenizers

/// Turns engine-core outputs (token ids) into request outputs (text): detokenizes each
/// completion incrementally, ends completions at their stop strings (the caller aborts their
/// engine requests), gathers the n completions of a parallel-sampling request, and fans such a
/// request out into child requests.
///
/// Parallel sampling shares the prompt's KV blocks instead of copying them: the first child
/// runs alone until its prompt is computed (its full blocks are then in the prefix cache), and
/// the other children are added after it, so they find every full prompt block cached.
final class OutputProcessor {
    /// A request as the caller made it, with the state of its completions.
    final class Parent {
        let params: SamplingParams
        let priority: Int
        let cacheSalt: String?
        var output: RequestOutput
        var detokenizers: [CompletionDetokenizer]
        /// Children not yet given to the engine (indices 1..<n until child 0's prompt is done).
        var pendingChildren: [Int]
        init(requestID: String, prompt: [Int], params: SamplingParams, priority: Int, cacheSalt: String?,
             tokenizer: Tokenizer) {
            self.params = params
            self.priority = priority
            self.cacheSalt = cacheSalt
            output = RequestOutput(requestID: requestID, promptTokenIDs: prompt, n: params.n)
            detokenizers = (0..<params.n).map { _ in CompletionDetokenizer(tokenizer: tokenizer, params: params) }
            pendingChildren = Array(1..<max(params.n, 1))
            if params.logprobs != nil {
                for i in output.outputs.indices { output.outputs[i].logprobs = [] }
            }
        }
    }

    let tokenizer: Tokenizer
    private(set) var parents: [String: Parent] = [:]
    /// Child request id → (parent id, completion index).
    private var children: [String: (parent: String, index: Int)] = [:]

    init(tokenizer: Tokenizer) {
        self.tokenizer = tokenizer
    }

    /// The engine request id of completion `index` of `parent` (the parent's own id when n is 1).
    static func childID(_ parent: String, _ index: Int, n: Int) -> String {
        n == 1 ? parent : "\(index)_\(parent)"
    }

    /// Child `index`'s sampling params: one completion, and a seed of its own when one was given.
    static func childParams(_ params: SamplingParams, index: Int) -> SamplingParams {
        var child = params
        child.n = 1
        if let seed = params.seed { child.seed = seed &+ UInt64(index) }
        return child
    }

    /// Registers a request (its `badWords` resolved to token ids with the tokenizer); returns the
    /// children to add to the engine now.
    func add(requestID: String, prompt: [Int], params requested: SamplingParams, priority: Int,
             cacheSalt: String?) -> [(id: String, params: SamplingParams)] {
        let params = requested.badWords.isEmpty ? requested : requested.resolvingBadWords(tokenizer: tokenizer)
        let parent = Parent(requestID: requestID, prompt: prompt, params: params, priority: priority,
                            cacheSalt: cacheSalt, tokenizer: tokenizer)
        parents[requestID] = parent
        let first = Self.childID(requestID, 0, n: params.n)
        children[first] = (requestID, 0)
        return [(first, Self.childParams(params, index: 0))]
    }

    /// What one step's outputs did to the requests.
    struct Processed {
        /// The request outputs that changed, each once.
        var outputs: [RequestOutput] = []
        /// Children that may now be added to the engine (their sibling's prompt is cached).
        var newChildren: [(id: String, parent: String, params: SamplingParams)] = []
        /// Engine requests that a stop string finished: abort them so they compute no more tokens.
        var requestsToAbort: [String] = []
    }

    /// Folds one step's outputs in.
    func process(_ coreOutputs: [EngineCoreOutput]) -> Processed {
        var changed: [String] = []
        var result = Processed()
        for core in coreOutputs {
            guard let (parentID, index) = children[core.requestID], let parent = parents[parentID] else { continue }
            if !changed.contains(parentID) {
                changed.append(parentID)
                for i in parent.output.outputs.indices {
                    parent.output.outputs[i].deltaText = ""
                    parent.output.outputs[i].deltaTokenIDs = []
                }
            }
            // Mutated in place: a copy would make every append copy the whole text.
            let abort = Self.fold(core, into: &parent.output.outputs[index], detokenizer: &parent.detokenizers[index],
                                  tokenStopReason: stopReason(of: core, params: parent.params))
            if abort { result.requestsToAbort.append(core.requestID) }
            if parent.output.outputs[index].isFinished { children[core.requestID] = nil }
            if let promptLogprobs = core.promptLogprobs, index == 0 {
                parent.output.promptLogprobs = (parent.output.promptLogprobs ?? []) + promptLogprobs
            }
            if index == 0 { parent.output.numCachedTokens = core.numCachedTokens }
            if let handle = core.kvTransferHandle { parent.output.kvTransferHandle = handle }
            if index == 0 && !parent.pendingChildren.isEmpty {
                for i in parent.pendingChildren {
                    let id = Self.childID(parentID, i, n: parent.params.n)
                    children[id] = (parentID, i)
                    result.newChildren.append((id, parentID, Self.childParams(parent.params, index: i)))
                }
                parent.pendingChildren = []
            }
        }
        for id in changed {
            guard let parent = parents[id] else { continue }
            result.outputs.append(parent.output)
            if parent.output.finished { parents[id] = nil }
        }
        return result
    }

    /// Adds one core output to its completion: tokens, logprobs, text, and the finish and stop
    /// reasons (a stop string in the new text finishes it). The tokens are taken one at a time,
    /// so when a step brought several (accepted draft tokens) and one completes a stop string, the
    /// completion ends at that token, as with one token per step. Returns true when a stop string
    /// finished a completion the engine core still runs.
    private static func fold(_ core: EngineCoreOutput, into completion: inout CompletionOutput,
                             detokenizer: inout CompletionDetokenizer, tokenStopReason: StopReason?) -> Bool {
        var finishReason = core.finishReason
        var stopReason = tokenStopReason
        var abort = false
        var taken = core.newTokenIDs.count
        for (k, token) in core.newTokenIDs.enumerated() {
            let last = k == core.newTokenIDs.count - 1
            if let stop = detokenizer.update([token], stopTerminated: last && core.finishReason == .stop) {
                finishReason = .stop
                stopReason = .text(stop)
                abort = core.finishReason == nil
                taken = k + 1
                break
            }
        }
        completion.tokenIDs += core.newTokenIDs.prefix(taken)
        completion.deltaTokenIDs += core.newTokenIDs.prefix(taken)
        if let logprobs = core.newLogprobs { completion.logprobs?.append(contentsOf: logprobs.prefix(taken)) }
        let delta = detokenizer.nextDelta(finished: finishReason != nil)
        completion.text += delta
        completion.deltaText += delta
        if let finishReason {
            completion.finishReason = finishReason
            completion.stopReason = stopReason
        }
        return abort
    }

    /// vLLM's stop reason for a token the core stopped on: the id of a stop token, nil for the
    /// end-of-sequence token (unless `ignoreEOS` made it an ordinary stop token).
    private func stopReason(of core: EngineCoreOutput, params: SamplingParams) -> StopReason? {
        guard core.finishReason == .stop, let token = core.stopReason else { return nil }
        if !params.ignoreEOS && token == tokenizer.eosTokenID { return nil }
        return .tokenID(token)
    }

    /// Applies a processed step to the engine: aborts the requests stop strings finished, then
    /// adds the children released this step.
    func apply(_ processed: Processed, to core: EngineCore) throws {
        core.abortRequests(processed.requestsToAbort)
        try addChildren(processed.newChildren, to: core)
    }

    /// Gives the engine the children `process` released, with their parent's prompt, priority and salt.
    func addChildren(_ newChildren: [(id: String, parent: String, params: SamplingParams)], to core: EngineCore) throws {
        for child in newChildren {
            guard let parent = parents[child.parent] else { continue }
            try core.addRequest(requestID: child.id, promptTokenIDs: parent.output.promptTokenIDs, params: child.params,
                                priority: parent.priority, cacheSalt: parent.cacheSalt)
        }
    }

    /// Marks every unfinished completion of `requestID` aborted; returns the engine ids to abort
    /// and the final output (nil for an unknown request).
    func abort(_ requestID: String) -> (childIDs: [String], output: RequestOutput?) {
        guard let parent = parents.removeValue(forKey: requestID) else { return ([], nil) }
        var ids: [String] = []
        for i in parent.output.outputs.indices where !parent.output.outputs[i].isFinished {
            parent.output.outputs[i].finishReason = .abort
            parent.output.outputs[i].deltaText = ""
            parent.output.outputs[i].deltaTokenIDs = []
            let id = Self.childID(requestID, i, n: parent.params.n)
            if children.removeValue(forKey: id) != nil { ids.append(id) }
        }
        return (ids, parent.output)
    }

    var numUnfinished: Int { parents.count }
}
