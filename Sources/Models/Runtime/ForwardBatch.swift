/// One step's flat batch of tokens from many sequences, as a scheduler prepares it (prefill
/// chunks and decode tokens mixed). Plain arrays; the model reads them without copying.
public struct ForwardBatch: Sendable, Equatable {
    /// Token ids. [numTokens]
    public var tokens: [Int32]
    /// Position of each token in its sequence. [numTokens]
    public var positions: [Int32]
    /// Cache slot (block id * blockSize + offset) each token's K/V are written to. [numTokens]
    public var slotMapping: [Int32]
    /// Row of `blockTables` each token belongs to. [numTokens]
    public var tokenSeq: [Int32]
    /// Block ids of each sequence, row-major, padded (e.g. with -1). [numSeqs, maxBlocksPerSeq]
    public var blockTables: [Int32]
    /// Columns of `blockTables`.
    public var maxBlocksPerSeq: Int
    /// Indices of the tokens whose logits are returned, in output order. [numLogitsRows]
    public var logitsRows: [Int32]
    /// With a cache whose sliding-window layers have their own pool (`KVCacheStorage.numSlidingBlocks`):
    /// those layers' block tables, padded. [numSeqs, maxSlidingBlocksPerSeq]
    public var slidingBlockTables: [Int32] = []
    /// Columns of `slidingBlockTables`.
    public var maxSlidingBlocksPerSeq = 0
    /// Their cache slot of each token. [numTokens]
    public var slidingSlotMapping: [Int32] = []

    /// A batch from its arrays (see the properties for shapes); `LlamaModel.forward` validates it.
    public init(tokens: [Int32], positions: [Int32], slotMapping: [Int32], tokenSeq: [Int32],
                blockTables: [Int32], maxBlocksPerSeq: Int, logitsRows: [Int32]) {
        self.tokens = tokens
        self.positions = positions
        self.slotMapping = slotMapping
        self.tokenSeq = tokenSeq
        self.blockTables = blockTables
        self.maxBlocksPerSeq = maxBlocksPerSeq
        self.logitsRows = logitsRows
    }

    /// Tokens in the batch.
    public var numTokens: Int { tokens.count }
    /// Rows of `blockTables`.
    public var numSeqs: Int { maxBlocksPerSeq > 0 ? blockTables.count / maxBlocksPerSeq : 0 }
    /// Logits rows requested.
    public var numLogitsRows: Int { logitsRows.count }
}
