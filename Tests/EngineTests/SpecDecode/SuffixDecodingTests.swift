import Testing
@testable import Engine

/// Suffix decoding: the depth-limited suffix tree's counts, the proposer's choice of match length
/// and draft length from them, and the global tree of finished outputs with FIFO eviction.
struct SuffixDecodingTests {
    @Test func treeCountsEverySubstringUpToItsDepth() {
        var tree = SuffixTree(maxDepth: 3)
        for token in [1, 2, 3, 1, 2, 4] { tree.append(token, to: 0) }
        // substrings of at most 3 tokens: "1 2" twice, then 3 once and 4 once
        #expect(tree.node(of: [1, 2]).map(tree.depth) == 2)
        let afterOneTwo = try? #require(tree.node(of: [1, 2]))
        let next = afterOneTwo.flatMap { tree.mostFrequentChild(of: $0) }
        #expect(next?.token == 3 && next?.probability == 0.5)  // 3 and 4 once each: the first added
        #expect(tree.node(of: [2, 3, 1]) != nil && tree.node(of: [1, 2, 3, 1]) == nil)  // depth 3
        #expect(tree.node(of: [4, 1]) == nil)
        // nodes: root; 1, 1 2, 1 2 3, 1 2 4; 2, 2 3, 2 3 1, 2 4; 3, 3 1, 3 1 2; 4
        #expect(tree.numNodes == 13)
        // giving a sequence again with count -1 takes it out
        for token in [9, 1, 2] { tree.append(token, to: 1) }
        #expect(tree.node(of: [9, 1, 2]) != nil)
        tree.close(1)
        for token in [9, 1, 2] { tree.append(token, to: 2, count: -1) }
        #expect(tree.node(of: [9]) == nil && tree.node(of: [1, 2]) != nil)
    }

    func request(_ id: String, _ tokens: [Int], output: [Int] = []) -> Request {
        let request = Request(requestID: id, promptTokenIDs: tokens, params: SamplingParams(temperature: 0),
                              arrivalTime: 0, priority: 0, cacheSalt: nil, eosTokenIDs: [])
        for token in output { request.appendOutputToken(token) }
        return request
    }

    func proposer(_ edit: (inout SpeculativeConfig) -> Void = { _ in }) -> SuffixDecodingProposer {
        var config = SpeculativeConfig(method: .suffix, numSpeculativeTokens: 24)
        edit(&config)
        return SuffixDecodingProposer(config)
    }

    @Test func draftsFollowTheMatchAndItsLength() {
        let suffix = proposer()
        // "5 6 7 8 9 10 11" occurred; the request ends in "5 6 7": a 3-token match drafts at most 3
        let r = request("a", [5, 6, 7, 8, 9, 10, 11, 20, 5, 6, 7])
        #expect(suffix.propose([DraftCandidate(request: r, blockIDs: [], limit: 24)]) == [[8, 9, 10]])
        #expect(suffix.propose([DraftCandidate(request: r, blockIDs: [], limit: 2)]) == [[8, 9]])
        // max_spec_factor 2 lets the same match draft 6 (the sequence ends after 4 more)
        let wide = proposer { $0.suffixDecodingMaxSpecFactor = 2 }
        #expect(wide.propose([DraftCandidate(request: r, blockIDs: [], limit: 24)]) == [[8, 9, 10, 11, 20, 5]])
        // after "1 2" (and "2") came 3 once and 4 three times, "5 1 2" is new: 4 (p = 0.75); with
        // min_token_prob 0.8, nothing
        let split = request("b", [1, 2, 3, 1, 2, 4, 1, 2, 4, 1, 2, 4, 5, 1, 2])
        #expect(suffix.propose([DraftCandidate(request: split, blockIDs: [], limit: 24)]).first?.first == 4)
        let strict = proposer { $0.suffixDecodingMinTokenProb = 0.8 }
        #expect(strict.propose([DraftCandidate(request: split, blockIDs: [], limit: 1)]) == [[]])
    }

    @Test func finishedOutputsDraftForLaterRequestsUntilEvicted() {
        let suffix = proposer { $0.suffixDecodingMaxCachedRequests = 1 }
        let later = request("later", [100, 101, 40, 41, 42])
        #expect(suffix.propose([DraftCandidate(request: later, blockIDs: [], limit: 24)]) == [[]])
        // a finished request's output "40 41 42 43 44 45" is in the global tree
        let first = request("first", [1], output: [40, 41, 42, 43, 44, 45])
        _ = suffix.propose([DraftCandidate(request: first, blockIDs: [], limit: 1)])
        suffix.requestsFinished([first])
        #expect(suffix.numRequestTrees == 1)  // the running "later" only
        #expect(suffix.propose([DraftCandidate(request: later, blockIDs: [], limit: 24)]) == [[43, 44, 45]])
        // a second finished request evicts the first (max_cached_requests 1)
        suffix.requestsFinished([request("second", [2], output: [7, 8])])
        #expect(suffix.global.node(of: [40]) == nil && suffix.global.node(of: [7, 8]) != nil)
        #expect(suffix.propose([DraftCandidate(request: later, blockIDs: [], limit: 24)]) == [[]])
    }
}
