/// One change to the set of cached KV blocks, as vLLM publishes it (`vllm/distributed/kv_events.py`).
/// Hashes are the 64-bit form of the `sha256_cbor` block hashes (`SHA256CBORBlockHasher.eventHash`).
public enum KVCacheEvent: Sendable, Equatable {
    /// Consecutive full blocks entered the prefix cache: `blockHashes` in order, chained on
    /// `parentBlockHash` (nil when the first is a prompt's first block); `tokenIDs` holds all their
    /// tokens, `blockSize` per block.
    case blockStored(blockHashes: [UInt64], parentBlockHash: UInt64?, tokenIDs: [Int], blockSize: Int)
    /// Blocks left the prefix cache (evicted for reuse).
    case blockRemoved(blockHashes: [UInt64])
    /// Every cached block was dropped (prefix cache reset).
    case allBlocksCleared

    /// vLLM's `medium` for the engine's own KV pool (its `MEDIUM_GPU`, whatever the device).
    public static let medium = "GPU"

    /// msgspec's encoding of vLLM's tagged structs: a map whose first key `type` names the event,
    /// then the fields in declaration order, fields at their default left out.
    func write(to writer: inout MessagePackWriter) {
        switch self {
        case .blockStored(let hashes, let parent, let tokens, let blockSize):
            writer.mapHeader(8)
            writer.string("type"); writer.string("BlockStored")
            writer.string("block_hashes"); writer.arrayHeader(hashes.count)
            for hash in hashes { writer.unsigned(hash) }
            writer.string("parent_block_hash")
            if let parent { writer.unsigned(parent) } else { writer.null() }
            writer.string("token_ids"); writer.arrayHeader(tokens.count)
            for token in tokens { writer.integer(token) }
            writer.string("block_size"); writer.integer(blockSize)
            writer.string("lora_id"); writer.null()
            writer.string("medium"); writer.string(Self.medium)
            writer.string("lora_name"); writer.null()
        case .blockRemoved(let hashes):
            writer.mapHeader(3)
            writer.string("type"); writer.string("BlockRemoved")
            writer.string("block_hashes"); writer.arrayHeader(hashes.count)
            for hash in hashes { writer.unsigned(hash) }
            writer.string("medium"); writer.string(Self.medium)
        case .allBlocksCleared:
            writer.mapHeader(1)
            writer.string("type"); writer.string("AllBlocksCleared")
        }
    }
}

/// The events of one engine step: `[ts, [events...], data_parallel_rank]` (vLLM's array-like
/// `KVEventBatch`; `ts` in seconds since the Unix epoch).
public struct KVEventBatch: Sendable, Equatable {
    public var timestamp: Double
    public var events: [KVCacheEvent]
    public var dataParallelRank: Int

    public init(timestamp: Double, events: [KVCacheEvent], dataParallelRank: Int = 0) {
        self.timestamp = timestamp
        self.events = events
        self.dataParallelRank = dataParallelRank
    }

    /// The msgpack payload frame.
    public func encoded() -> [UInt8] {
        var writer = MessagePackWriter(capacity: 64 + events.count * 96)
        writer.arrayHeader(3)
        writer.double(timestamp)
        writer.arrayHeader(events.count)
        for event in events { event.write(to: &writer) }
        writer.integer(dataParallelRank)
        return writer.bytes
    }
}
