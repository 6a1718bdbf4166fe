import SwiftletTokenizers

/// Turns engine-core outputs (token ids) into request outputs (text): detokenizes each
/// completion incrementally, gathers the n completions of a parallel-sampling request, and
/// fans such a request out into child requests.
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
        var detokenizers: [StreamingDetokenizer]
        /// Children not yet given to the engine (indices 1..<n until child 0's prompt is done).
        var pendingChildren: [Int]
        init(requestID: String, prompt: [Int], params: SamplingParams, priority: Int, cacheSalt: String?,
             tokenizer: Tokenizer) {
            self.params = params
            self.priority = priority
            self.cacheSalt = cacheSalt
            output = RequestOutput(requestID: requestID, promptTokenIDs: prompt, n: params.n)
            detokenizers = (0..<params.n).map { _ in tokenizer.makeStreamingDetokenizer(skipSpecialTokens: true) }
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

    /// Registers a request; returns the children to add to the engine now.
    func add(requestID: String, prompt: [Int], params: SamplingParams, priority: Int,
             cacheSalt: String?) -> [(id: String, params: SamplingParams)] {
        let parent = Parent(requestID: requestID, prompt: prompt, params: params, priority: priority,
                            cacheSalt: cacheSalt, tokenizer: tokenizer)
        parents[requestID] = parent
        let first = Self.childID(requestID, 0, n: params.n)
        children[first] = (requestID, 0)
        return [(first, Self.childParams(params, index: 0))]
    }

    /// Folds one step's outputs in. Returns the request outputs that changed (each once) and the
    /// children that may now be added to the engine (their sibling's prompt is cached).
    func process(_ coreOutputs: [EngineCoreOutput]) -> (outputs: [RequestOutput], newChildren: [(id: String, parent: String, params: SamplingParams)]) {
        var changed: [String] = []
        var newChildren: [(id: String, parent: String, params: SamplingParams)] = []
        for core in coreOutputs {
            guard let (parentID, index) = children[core.requestID], let parent = parents[parentID] else { continue }
            if !changed.contains(parentID) {
                changed.append(parentID)
                for i in parent.output.outputs.indices {
                    parent.output.outputs[i].deltaText = ""
                    parent.output.outputs[i].deltaTokenIDs = []
                }
            }
            var completion = parent.output.outputs[index]
            for (k, token) in core.newTokenIDs.enumerated() {
                completion.tokenIDs.append(token)
                completion.deltaTokenIDs.append(token)
                let piece = (try? parent.detokenizers[index].append(token)) ?? ""
                completion.text += piece
                completion.deltaText += piece
                if let logprobs = core.newLogprobs, k < logprobs.count { completion.logprobs?.append(logprobs[k]) }
            }
            if let promptLogprobs = core.promptLogprobs, index == 0 {
                parent.output.promptLogprobs = (parent.output.promptLogprobs ?? []) + promptLogprobs
            }
            if index == 0 { parent.output.numCachedTokens = core.numCachedTokens }
            if let reason = core.finishReason {
                let tail = parent.detokenizers[index].finish()
                completion.text += tail
                completion.deltaText += tail
                completion.finishReason = reason
                completion.stopReason = core.stopReason
                children[core.requestID] = nil
            }
            parent.output.outputs[index] = completion
            if index == 0 && !parent.pendingChildren.isEmpty {
                for i in parent.pendingChildren {
                    let id = Self.childID(parentID, i, n: parent.params.n)
                    children[id] = (parentID, i)
                    newChildren.append((id, parentID, Self.childParams(parent.params, index: i)))
                }
                parent.pendingChildren = []
            }
        }
        var outputs: [RequestOutput] = []
        for id in changed {
            guard let parent = parents[id] else { continue }
            outputs.append(parent.output)
            if parent.output.finished { parents[id] = nil }
        }
        return (outputs, newChildren)
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
