import Testing
@testable import Engine

/// `SamplingParams.reasoningDelimiters`: the grammar neither masks nor takes tokens while the
/// request reasons, and applies from the token after the end tag (vLLM's structured outputs with
/// a reasoning parser). Over `ScriptedExecutor`: a masked scripted token shows as the lowest
/// allowed id instead.
@Suite struct ReasoningGrammarTests {
    typealias V = ReasoningVocabulary
    static let thinkTags = ReasoningDelimiters(startTokenIDs: [V.think], endTokenIDs: [V.endThink])

    static func params(_ constraint: StructuredOutputsParams.Constraint? = .choice(["yes", "no"]),
                       delimiters: ReasoningDelimiters? = thinkTags, maxTokens: Int = 20) -> SamplingParams {
        var params = SamplingParams(temperature: 0, maxTokens: maxTokens)
        params.structuredOutputs = constraint.map { StructuredOutputsParams($0) }
        params.reasoningDelimiters = delimiters
        return params
    }

    @Test func grammarWaitsForTheEndTag() throws {
        let script = [V.hmm, V.ma, V.endThink, V.hmm]
        let core = V.core(["reasoning": script, "plain": script, "free": script])
        let prompt = [V.hmm, V.think]
        try core.addRequest(requestID: "reasoning", promptTokenIDs: prompt, params: Self.params())
        try core.addRequest(requestID: "plain", promptTokenIDs: prompt, params: Self.params(delimiters: nil))
        try core.addRequest(requestID: "free", promptTokenIDs: prompt, params: Self.params(nil, maxTokens: 5))
        let results = try V.run(core)
        // "hmm" and "ma" go through unmasked, "</think>" too and not to the grammar; then "hmm" is
        // masked ("yes" is the lowest allowed id) and the grammar ends with EOS.
        #expect(results["reasoning", default: ([], nil)] == ([V.hmm, V.ma, V.endThink, V.yes, V.eos], .stop))
        #expect(results["plain", default: ([], nil)] == ([V.yes, V.eos], .stop))
        #expect(results["free", default: ([], nil)] == ([V.hmm, V.ma, V.endThink, V.hmm, V.hmm], .length))
    }

    @Test func aPromptThatClosedTheReasoningConstrainsAtOnce() throws {
        let script = [V.hmm, V.ma, V.endThink, V.hmm]
        let core = V.core(["closed": script, "reopened": script, "untagged": script])
        // A chat template with thinking off writes "<think> </think> ".
        try core.addRequest(requestID: "closed", promptTokenIDs: [V.hmm, V.think, V.space, V.endThink, V.space], params: Self.params())
        // An end tag of an earlier turn, then a new "<think>": reasoning.
        try core.addRequest(requestID: "reopened", promptTokenIDs: [V.endThink, V.hmm, V.think], params: Self.params())
        // No tag at all: reasoning until an end tag (vLLM's is_reasoning_end is false).
        try core.addRequest(requestID: "untagged", promptTokenIDs: [V.hmm], params: Self.params())
        let results = try V.run(core)
        #expect(results["closed", default: ([], nil)] == ([V.yes, V.eos], .stop))
        #expect(results["reopened", default: ([], nil)] == ([V.hmm, V.ma, V.endThink, V.yes, V.eos], .stop))
        #expect(results["untagged", default: ([], nil)] == ([V.hmm, V.ma, V.endThink, V.yes, V.eos], .stop))
    }

    @Test func anEndTagOfTwoTokens() throws {
        let tags = ReasoningDelimiters(startTokenIDs: [V.think], endTokenIDs: [V.open, V.slashThink])
        let core = V.core(["r": [V.open, V.hmm, V.open, V.slashThink, V.hmm]])
        try core.addRequest(requestID: "r", promptTokenIDs: [V.think], params: Self.params(delimiters: tags))
        // "<" alone does not end the reasoning; "<" "/think>" does.
        #expect(try V.run(core)["r", default: ([], nil)] == ([V.open, V.hmm, V.open, V.slashThink, V.yes, V.eos], .stop))
    }

    /// Preemption by recompute keeps the output tokens and so the reasoning state and the matcher;
    /// chunked prefill changes nothing. Three requests over 8 blocks of 4 tokens, 6 tokens a step.
    @Test func preemptionAndChunkedPrefillKeepTheState() throws {
        let script = [V.hmm, V.ma, V.hmm, V.ma, V.hmm, V.endThink, V.hmm]
        let ids = ["a", "b", "c"]
        let prompts = ids.indices.map { r in (0..<10).map { 11 + (r + $0 * 2) % 5 } + [V.think] }
        let expected = [V.hmm, V.ma, V.hmm, V.ma, V.hmm, V.endThink, V.ma, V.ma, V.ma, V.eos]
        let params = Self.params(.regex("(ma|ybe){3}"))
        let tight = V.core(Dictionary(uniqueKeysWithValues: ids.map { ($0, script) }), numBlocks: 8, maxNumBatchedTokens: 6)
        for (id, prompt) in zip(ids, prompts) { try tight.addRequest(requestID: id, promptTokenIDs: prompt, params: params) }
        let results = try V.run(tight)
        #expect(tight.stats.numPreemptions > 0)
        for id in ids { #expect(results[id, default: ([], nil)] == (expected, .stop), "\(id)") }
    }

    /// Parallel sampling (n = 2 through the output processor, the second completion joining
    /// after the first one's first token): each completion reasons and is constrained on its own.
    @Test func parallelCompletionsReasonApart() throws {
        var params = Self.params()
        params.n = 2
        let ids = (0..<2).map { OutputProcessor.childID("r", $0, n: 2) }
        let core = V.core([ids[0]: [V.hmm, V.endThink, V.hmm], ids[1]: [V.hmm, V.ma, V.ma, V.endThink, V.no]])
        let processor = OutputProcessor(tokenizer: try FakeFrontend.tokenizer())
        for child in processor.add(requestID: "r", prompt: [V.think], params: params, priority: 0, cacheSalt: nil) {
            try core.addRequest(requestID: child.id, promptTokenIDs: [V.think], params: child.params)
        }
        var last: RequestOutput?
        var numSteps = 0
        while core.hasUnfinishedRequests && numSteps < 100 {
            let step = processor.process(try core.step())
            try processor.apply(step, to: core)
            last = step.outputs.last ?? last
            numSteps += 1
        }
        let outputs = try #require(last).outputs
        try #require(outputs.count == 2)
        #expect(outputs[0].tokenIDs == [V.hmm, V.endThink, V.yes, V.eos] && outputs[0].finishReason == .stop)
        #expect(outputs[1].tokenIDs == [V.hmm, V.ma, V.ma, V.endThink, V.no, V.eos] && outputs[1].finishReason == .stop)
    }

    @Test func badDelimitersAreRefusedAtAdd() throws {
        let core = V.core([:])
        for tags in [ReasoningDelimiters(startTokenIDs: [V.think], endTokenIDs: []),
                     ReasoningDelimiters(startTokenIDs: [99], endTokenIDs: [V.endThink])] {
            #expect { try core.addRequest(requestID: "r", promptTokenIDs: [V.think], params: Self.params(delimiters: tags)) } throws: { error in
                "\(error)".contains("reasoning_delimiters") && error is GenerationError
            }
        }
    }

    /// vLLM's `is_reasoning_end`: scanning back, the end tag before any start tag.
    @Test func reasoningEndOverTokenIDs() {
        let tags = ReasoningDelimiters(startTokenIDs: [1], endTokenIDs: [2])
        #expect(tags.isReasoningEnd([5, 1, 6, 2, 7]))
        #expect(!tags.isReasoningEnd([5, 2, 6, 1, 7]))
        #expect(!tags.isReasoningEnd([5, 6]))
        #expect(!tags.isReasoningEnd([]))
        #expect(tags.closesReasoning([1, 2]) && !tags.closesReasoning([2, 1]) && !tags.closesReasoning([]))
        let long = ReasoningDelimiters(startTokenIDs: [8, 9], endTokenIDs: [7, 8, 9])
        // Both tags end at the last token: the longer, the end tag, is the match.
        #expect(long.isReasoningEnd([7, 8, 9]) && long.closesReasoning([7, 8, 9]))
        #expect(!long.isReasoningEnd([7, 8, 9, 8, 9]))
        #expect(!long.isReasoningEnd([7, 8]))
        let endOnly = ReasoningDelimiters(startTokenIDs: [], endTokenIDs: [2])
        #expect(endOnly.isReasoningEnd([2, 1]) && !endOnly.isReasoningEnd([1]))
    }
}
