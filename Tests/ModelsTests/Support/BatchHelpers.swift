import Kernels
import Models

/// One sequence's tokens in a batch: positions start at `startPosition`.
struct SeqChunk {
    var tokens: [Int32]
    var startPosition: Int
    var blockTable: [Int32]
}

/// Builds a flat batch the way a scheduler would: every token gets its sequence row, its
/// position and its slot from the block table; tables are padded with -1. `order` (a
/// permutation of all token indices, chunk-major) scrambles the token order. Every token's
/// logits are requested; `rowOf[chunk][i]` is the logits row of token i of chunk `chunk`.
func makeBatch(_ chunks: [SeqChunk], blockSize: Int, maxBlocksPerSeq: Int, order: [Int]? = nil) -> (ForwardBatch, rowOf: [[Int]]) {
    var entries: [(seq: Int, index: Int, token: Int32, position: Int32, slot: Int32)] = []
    for (seq, chunk) in chunks.enumerated() {
        for (i, token) in chunk.tokens.enumerated() {
            let position = chunk.startPosition + i
            let slot = Int(chunk.blockTable[position / blockSize]) * blockSize + position % blockSize
            entries.append((seq, i, token, Int32(position), Int32(slot)))
        }
    }
    if let order { entries = order.map { entries[$0] } }
    var tables: [Int32] = []
    for chunk in chunks {
        tables += chunk.blockTable + Array(repeating: -1, count: maxBlocksPerSeq - chunk.blockTable.count)
    }
    var rowOf = chunks.map { [Int](repeating: -1, count: $0.tokens.count) }
    for (row, e) in entries.enumerated() { rowOf[e.seq][e.index] = row }
    let batch = ForwardBatch(tokens: entries.map(\.token), positions: entries.map(\.position),
                             slotMapping: entries.map(\.slot), tokenSeq: entries.map { Int32($0.seq) },
                             blockTables: tables, maxBlocksPerSeq: maxBlocksPerSeq,
                             logitsRows: (0..<entries.count).map(Int32.init))
    return (batch, rowOf)
}

/// Runs `batch` and copies its logits out, one array per row.
func logitsRows(_ model: LlamaModel, _ batch: ForwardBatch, cache: KVCacheStorage) throws -> [[Float]] {
    let logits = try model.forward(batch, cache: cache)
    let vocab = model.config.vocabSize
    return (0..<batch.numLogitsRows).map { Array(logits[($0 * vocab)..<(($0 + 1) * vocab)]) }
}

/// Largest |a - b| over all entries, relative to the largest |b|.
func maxRelativeDifference(_ a: [[Float]], _ b: [[Float]]) -> Float {
    var maxDiff: Float = 0, maxAbs: Float = 0
    for (ra, rb) in zip(a, b) {
        for (x, y) in zip(ra, rb) {
            maxDiff = max(maxDiff, abs(x - y))
            maxAbs = max(maxAbs, abs(y))
        }
    }
    return maxAbs > 0 ? maxDiff / maxAbs : maxDiff
}
