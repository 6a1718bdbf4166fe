/// Suffix decoding (vLLM's `"method": "suffix"`, after the SuffixDecoding paper and Arctic
/// Inference): each request has a suffix tree over its prompt and output, and one global tree
/// holds the outputs of the last `suffix_decoding_max_cached_requests` finished requests. Each
/// step, for every length of the request's last tokens (the pattern) that occurred before, the
/// proposer follows the most frequent continuation while its estimated probability (the product
/// of the counts' shares) stays at least `suffix_decoding_min_token_prob`, for at most
/// `suffix_decoding_max_spec_factor` x the match length tokens (and what the tree's depth leaves);
/// of all lengths and both trees it takes the draft with the largest expected number of accepted
/// tokens (the sum of those probabilities). So the number of drafts follows the match statistics.
final class SuffixDecodingProposer: DraftProposer {
    /// One running request's tree and how many of its tokens it holds.
    private final class RequestTree {
        var tree: SuffixTree
        var numTokens = 0
        init(maxDepth: Int) { tree = SuffixTree(maxDepth: maxDepth) }
    }

    let k: Int
    var writesDraftKV: Bool { false }
    var draftLengthFactor: Int { 2 }
    let maxTreeDepth: Int
    let maxCachedRequests: Int
    let maxSpecFactor: Double
    let minTokenProb: Double
    private var requestTrees: [String: RequestTree] = [:]
    /// Outputs of finished requests, oldest first, each under its own sequence number.
    private(set) var global: SuffixTree
    private var cached: [(sequence: Int, tokens: [Int])] = []
    private var numCachedTokens = 0
    private var nextSequence = 0

    init(_ config: SpeculativeConfig) {
        k = config.numSpeculativeTokens
        maxTreeDepth = config.suffixDecodingMaxTreeDepth
        maxCachedRequests = config.suffixDecodingMaxCachedRequests
        maxSpecFactor = config.suffixDecodingMaxSpecFactor
        minTokenProb = config.suffixDecodingMinTokenProb
        global = SuffixTree(maxDepth: config.suffixDecodingMaxTreeDepth)
    }

    /// Requests with a tree of their own (running ones that drafted).
    var numRequestTrees: Int { requestTrees.count }

    func propose(_ candidates: [DraftCandidate]) -> [[Int]] {
        candidates.map { candidate in
            let request = candidate.request
            let own = requestTrees[request.requestID] ?? RequestTree(maxDepth: maxTreeDepth)
            requestTrees[request.requestID] = own
            for token in request.allTokenIDs[own.numTokens...] { own.tree.append(token, to: 0) }
            own.numTokens = request.numTokens
            let pattern = request.allTokenIDs.suffix(maxTreeDepth)
            let local = draft(own.tree, pattern: pattern, limit: candidate.limit)
            guard maxCachedRequests > 0 else { return local.tokens }
            let shared = draft(global, pattern: pattern, limit: candidate.limit)
            return shared.score > local.score ? shared.tokens : local.tokens
        }
    }

    /// The best draft `tree` gives after `pattern` and its expected number of accepted tokens.
    func draft(_ tree: SuffixTree, pattern: ArraySlice<Int>, limit: Int) -> (tokens: [Int], score: Double) {
        var best: (tokens: [Int], score: Double) = ([], 0)
        for length in 1...max(pattern.count, 1) where !pattern.isEmpty {
            // a suffix that never occurred has no longer one that did
            guard let match = tree.node(of: pattern.suffix(length)) else { break }
            let maxTokens = Int(min(Double(limit), maxSpecFactor * Double(length)))
            var tokens: [Int] = [], probability = 1.0, score = 0.0, node = match
            while tokens.count < maxTokens, tree.depth(node) < tree.maxDepth, let next = tree.mostFrequentChild(of: node) {
                probability *= next.probability
                guard probability >= minTokenProb else { break }
                tokens.append(next.token)
                score += probability
                node = next.node
            }
            if score > 0 && score >= best.score { best = (tokens, score) }  // equal: the longer match
        }
        return best
    }

    /// Drops finished requests' trees and caches their outputs in the global tree, evicting the
    /// oldest beyond `maxCachedRequests` (and rebuilding the tree when evictions left it mostly
    /// empty nodes).
    func requestsFinished(_ requests: [Request]) {
        for request in requests {
            requestTrees[request.requestID] = nil
            guard maxCachedRequests > 0, !request.outputTokenIDs.isEmpty else { continue }
            let sequence = nextSequence
            nextSequence += 1
            for token in request.outputTokenIDs { global.append(token, to: sequence) }
            global.close(sequence)
            cached.append((sequence, request.outputTokenIDs))
            numCachedTokens += request.outputTokenIDs.count
        }
        guard cached.count > maxCachedRequests else { return }
        let evicted = cached.prefix(cached.count - maxCachedRequests)
        cached.removeFirst(evicted.count)
        for entry in evicted {
            for token in entry.tokens { global.append(token, to: entry.sequence, count: -1) }
            global.close(entry.sequence)
            numCachedTokens -= entry.tokens.count
        }
        if global.numNodes > 2 * maxTreeDepth * numCachedTokens + 4096 {
            global = SuffixTree(maxDepth: maxTreeDepth)
            for entry in cached {
                for token in entry.tokens { global.append(token, to: entry.sequence) }
                global.close(entry.sequence)
            }
        }
    }
}
