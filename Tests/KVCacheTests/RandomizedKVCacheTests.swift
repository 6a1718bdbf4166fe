import Testing
@testable import KVCache

/// Deterministic generator (SplitMix64) so the randomized test is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A scheduler-like driver over random requests from a tiny alphabet (so prefixes repeat): admit
/// with prefix hits, chunked prefill, decode, preempt on allocation failure, finish, reset. Checks
/// the invariants after every operation and that every prefix hit serves blocks whose recorded
/// content (the token prefix that produced their KV) equals the request's own prefix.
struct RandomDriver {
    struct Live {
        var tokens: [Int]
        var hashes: [BlockHash]
        var numComputed: Int
        var maxTokens: Int
        var salt: String?
    }

    let m: KVCacheManager
    var rng: SplitMix64
    var live: [String: Live] = [:]
    var waiting: [(tokens: [Int], salt: String?)] = []
    var nextID = 0
    /// Token prefix that produced each block's KV (what a real cache would hold).
    var content: [Int: [Int]] = [:]
    var numHitBlocks = 0
    var numPreemptions = 0

    init(manager: KVCacheManager, seed: UInt64) {
        m = manager
        rng = SplitMix64(state: seed)
    }

    mutating func admit() throws {
        let request: (tokens: [Int], salt: String?)
        if !waiting.isEmpty && Bool.random(using: &rng) {
            request = waiting.removeFirst()
        } else {
            let length = Int.random(in: 1...14, using: &rng)
            let tokens = (0..<length).map { _ in Int.random(in: 0...1, using: &rng) }
            request = (tokens, Int.random(in: 0..<8, using: &rng) == 0 ? "salt" : nil)
        }
        let id = "r\(nextID)"
        nextID += 1
        let hashes = m.blockHashes(tokenIDs: request.tokens, extraKeys: request.salt)
        let hit = m.computedBlocks(requestID: id, blockHashes: hashes, numTokens: request.tokens.count)
        for (index, block) in hit.blocks.enumerated() {
            let expected = Array(request.tokens[0..<((index + 1) * m.blockSize)])
            try #require(content[block.blockID] == expected, "wrong KV served for block \(block.blockID)")
        }
        numHitBlocks += hit.blocks.count
        let numNew = Int.random(in: 1...(request.tokens.count - hit.numComputedTokens), using: &rng)
        let before = KVCacheSnapshot(m)
        guard m.allocateSlots(requestID: id, numNewTokens: numNew, numComputedTokens: hit.numComputedTokens,
                              newComputedBlocks: hit.blocks) != nil else {
            try #require(KVCacheSnapshot(m) == before, "failed allocation changed state")
            waiting.append(request)
            return
        }
        live[id] = Live(tokens: request.tokens, hashes: hashes, numComputed: hit.numComputedTokens,
                        maxTokens: request.tokens.count + Int.random(in: 0...6, using: &rng), salt: request.salt)
        compute(id, numNew: numNew)
    }

    mutating func step() throws {
        guard let id = live.keys.sorted().randomElement(using: &rng), var r = live[id] else { return }
        if r.numComputed == r.tokens.count {
            guard r.tokens.count < r.maxTokens else { return finish(id) }
            r.tokens.append(Int.random(in: 0...1, using: &rng))   // the sampled token
            m.appendBlockHashes(to: &r.hashes, tokenIDs: r.tokens, extraKeys: r.salt)
            live[id] = r
        }
        let numNew = Int.random(in: 1...(r.tokens.count - r.numComputed), using: &rng)
        let before = KVCacheSnapshot(m)
        guard m.allocateSlots(requestID: id, numNewTokens: numNew, numComputedTokens: r.numComputed,
                              newComputedBlocks: []) != nil else {
            try #require(KVCacheSnapshot(m) == before, "failed allocation changed state")
            numPreemptions += 1
            m.free(requestID: id)
            live[id] = nil
            waiting.append((r.tokens, r.salt))
            return
        }
        compute(id, numNew: numNew)
    }

    /// Records the KV the model would write for the new tokens, then publishes full blocks.
    mutating func compute(_ id: String, numNew: Int) {
        guard var r = live[id] else { return }
        let table = m.blockIDs(requestID: id)
        let end = r.numComputed + numNew
        for blockIndex in (r.numComputed / m.blockSize)..<((end + m.blockSize - 1) / m.blockSize) {
            let blockEnd = min(end, (blockIndex + 1) * m.blockSize)
            content[table[blockIndex]] = Array(r.tokens[0..<blockEnd])
        }
        r.numComputed = end
        live[id] = r
        m.cacheBlocks(requestID: id, blockHashes: r.hashes, numComputedTokens: end)
    }

    mutating func finish(_ id: String) {
        m.free(requestID: id)
        live[id] = nil
    }

    mutating func run(numOperations: Int) throws {
        for _ in 0..<numOperations {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<30: try admit()
            case 30..<85: try step()
            case 85..<99:
                if let id = live.keys.sorted().randomElement(using: &rng) { finish(id) }
            default:
                let idle = live.isEmpty
                try #require(m.resetPrefixCache() == idle)
                if idle { content.removeAll() }
            }
            let problems = m.checkInvariants()
            try #require(problems.isEmpty, "\(problems)")
        }
        for id in live.keys.sorted() { finish(id) }
    }
}

@Test(arguments: ["plain", "collide", "off"], [FreeBlockOrder.reuseFreed, .vllm])
func randomOperationsKeepInvariants(mode: String, order: FreeBlockOrder) throws {
    let m = KVCacheManager(numBlocks: 24, blockSize: 2, enablePrefixCaching: mode != "off", order: order)
    if mode == "collide" {
        m.hasher.hashOverride = { _, tokens, _ in UInt64(tokens.first ?? 0) }
    }
    m.maxInternedKeys = 64   // exercise pruning
    var driver = RandomDriver(manager: m, seed: 2026)
    try driver.run(numOperations: 4000)
    #expect(m.checkInvariants() == [])
    #expect(m.numRequests == 0 && m.pool.numFreeBlocks == 24)
    #expect(m.pool.blocks.allSatisfy { $0.refCount == 0 })
    // The seeded run is deterministic; collisions must not change a single decision.
    if mode == "off" {
        #expect(m.prefixCacheStats == PrefixCacheStats())
        #expect(driver.numHitBlocks == 0 && driver.numPreemptions == 158 && driver.nextID == 1186)
    } else if order == .vllm {
        #expect(m.prefixCacheStats == PrefixCacheStats(numQueries: 9894, numHits: 2044, numRequests: 1170))
        #expect(driver.numHitBlocks == 1022 && driver.numPreemptions == 141)
        #expect(m.hasher.count <= 64 + 14)
    } else {
        // Only blocks revived twice from the free queue turn hot (siblings sharing a block in use do not).
        #expect(m.prefixCacheStats == PrefixCacheStats(numQueries: 10178, numHits: 2240, numRequests: 1235))
        #expect(driver.numHitBlocks == 1120 && driver.numPreemptions == 135)
        #expect(m.hasher.count <= 64 + 14)
    }
}
