/// Interns block contents into exact `BlockHash` identities.
///
/// A key is (parent serial, the block's token ids, extra keys). Dictionary lookups compare keys in
/// full, so equal serials mean equal content chains even when content hash values collide.
/// Serials are never reused: `prune` may forget keys (a later equal content then gets a fresh serial,
/// costing at most a missed cache hit, never a wrong one).
final class BlockHasher {
    /// Parent serial of a request's first block.
    static let rootSerial: UInt64 = 0

    struct Key: Hashable {
        let parentSerial: UInt64
        let tokenIDs: [Int]
        let extraKeys: String?
        let value: UInt64

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.value == rhs.value && lhs.parentSerial == rhs.parentSerial
                && lhs.extraKeys == rhs.extraKeys && lhs.tokenIDs == rhs.tokenIDs
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(value)
        }
    }

    private var serials: [Key: UInt64] = [:]
    private var nextSerial: UInt64 = 1
    /// Random per hasher, so hashes of different managers never compare equal.
    let namespace = UInt64.random(in: 1...UInt64.max)

    /// Test hook: replaces the content hash (e.g. a constant to force collisions).
    var hashOverride: ((_ parentValue: UInt64, _ tokenIDs: ArraySlice<Int>, _ extraKeys: String?) -> UInt64)?

    /// Number of interned keys.
    var count: Int { serials.count }

    /// Appends the hashes of the full blocks of `tokenIDs` not yet in `hashes` (chained on the last one).
    func appendHashes(to hashes: inout [BlockHash], tokenIDs: [Int], blockSize: Int, extraKeys: String?) {
        guard blockSize > 0 else { return }
        let numFullBlocks = tokenIDs.count / blockSize
        guard numFullBlocks > hashes.count else { return }
        // A chain issued by another hasher cannot be extended exactly here.
        if let last = hashes.last, last.namespace != namespace { return }
        hashes.reserveCapacity(numFullBlocks)
        var parent = hashes.last
        for blockIndex in hashes.count..<numFullBlocks {
            let start = blockIndex * blockSize
            let tokens = tokenIDs[start..<(start + blockSize)]
            let hash = intern(parent: parent, tokenIDs: tokens, extraKeys: extraKeys)
            hashes.append(hash)
            parent = hash
        }
    }

    /// The identity of one block given its parent's identity (nil for a first block).
    func intern(parent: BlockHash?, tokenIDs: ArraySlice<Int>, extraKeys: String?) -> BlockHash {
        let parentValue = parent?.value ?? 0
        let value = hashOverride?(parentValue, tokenIDs, extraKeys)
            ?? Self.contentHash(parentValue: parentValue, tokenIDs: tokenIDs, extraKeys: extraKeys)
        let key = Key(parentSerial: parent?.serial ?? Self.rootSerial, tokenIDs: Array(tokenIDs),
                      extraKeys: extraKeys, value: value)
        if let serial = serials[key] {
            return BlockHash(serial: serial, value: value, namespace: namespace)
        }
        let serial = nextSerial
        nextSerial &+= 1
        serials[key] = serial
        return BlockHash(serial: serial, value: value, namespace: namespace)
    }

    /// Forgets every key that is neither among the `numRecent` most recently issued serials nor
    /// accepted by `keep` (O(count); callers amortize it).
    func prune(keepingRecent numRecent: Int, keeping keep: (BlockHash) -> Bool) {
        let recentFloor = nextSerial - min(nextSerial, UInt64(max(0, numRecent)))
        serials = serials.filter {
            $0.value >= recentFloor || keep(BlockHash(serial: $0.value, value: $0.key.value, namespace: namespace))
        }
    }

    /// Forgets every key.
    func removeAll() {
        serials.removeAll(keepingCapacity: true)
    }

    /// Deterministic 64-bit content hash: a multiply-xorshift mix per 64-bit word, then a final
    /// avalanche (bucket spreading only; collisions are harmless).
    static func contentHash(parentValue: UInt64, tokenIDs: ArraySlice<Int>, extraKeys: String?) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ word: UInt64) {
            h = (h ^ word) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
        }
        mix(parentValue)
        for token in tokenIDs {
            mix(UInt64(bitPattern: Int64(token)))
        }
        if let extraKeys {
            mix(0xFF_FFFF_FFFF)   // separates "no extra keys" from an empty string
            for byte in extraKeys.utf8 {
                mix(UInt64(byte))
            }
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}
