/// vLLM's `sha256_cbor` prefix-cache block hashes (`--prefix-caching-hash-algo sha256_cbor`):
/// block i's hash is SHA-256 of the canonical CBOR of the tuple (hash of block i-1, the block's
/// token ids as a tuple, extra keys or null); the first block's parent is NONE_HASH, the hash of
/// the seed string: `PYTHONHASHSEED` when set, else vLLM's fixed default `"vllm-none-hash"`. The
/// only extra key here is the request's `cache_salt`, on the first block alone, as vLLM keys it.
/// Consumers of KV events (routers, KV indexers) recompute these from token ids, so they are
/// compared bit for bit with Python's `cbor2` + `hashlib` in the tests.
public struct SHA256CBORBlockHasher: Sendable {
    /// vLLM's seed when `PYTHONHASHSEED` is not set and the algorithm is cryptographic.
    public static let defaultSeed = "vllm-none-hash"

    public let seed: String
    /// The parent hash of every chain's first block.
    public let noneHash: [UInt8]

    public init(seed: String = SHA256CBORBlockHasher.defaultSeed) {
        self.seed = seed
        var writer = CBORWriter(capacity: seed.utf8.count + 4)
        writer.text(seed)
        noneHash = SHA256.digest(writer.bytes)
    }

    /// The seed vLLM would use in this process's environment.
    public static func seedFromEnvironment(_ environment: [String: String]) -> String {
        environment["PYTHONHASHSEED"] ?? defaultSeed
    }

    /// The hash of one block given its parent's hash (nil for a first block).
    public func hash(parent: [UInt8]?, tokenIDs: ArraySlice<Int>, extraKeys: [String]?) -> [UInt8] {
        var writer = CBORWriter(capacity: 48 + tokenIDs.count * 3)
        writer.arrayHeader(3)
        writer.byteString(parent ?? noneHash)
        writer.arrayHeader(tokenIDs.count)
        for token in tokenIDs { writer.integer(token) }
        if let extraKeys, !extraKeys.isEmpty {
            writer.arrayHeader(extraKeys.count)
            for key in extraKeys { writer.text(key) }
        } else {
            writer.null()
        }
        return SHA256.digest(writer.bytes)
    }

    /// Appends the hashes of the full blocks of `tokenIDs` beyond those already in `hashes`.
    /// `cacheSalt` keys the first block only.
    public func appendHashes(to hashes: inout [[UInt8]], tokenIDs: [Int], blockSize: Int, cacheSalt: String?) {
        guard blockSize > 0 else { return }
        let numFull = tokenIDs.count / blockSize
        while hashes.count < numFull {
            let index = hashes.count
            let extra = index == 0 ? cacheSalt.flatMap { $0.isEmpty ? nil : [$0] } : nil
            hashes.append(hash(parent: hashes.last, tokenIDs: tokenIDs[(index * blockSize)..<((index + 1) * blockSize)], extraKeys: extra))
        }
    }

    /// The form KV events carry by default (vLLM's `VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES`): the
    /// digest's last eight bytes as a big-endian unsigned integer.
    public static func eventHash(_ digest: [UInt8]) -> UInt64 {
        digest.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
