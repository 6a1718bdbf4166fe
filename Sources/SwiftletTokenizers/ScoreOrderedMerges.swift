/// BPE merge ranks that reproduce SentencePiece-style merging by score (`ScoredMerges`, llama.cpp's SPM
/// tokenizer) with a rank-merging BPE model (HF tokenizers' BPE, `RankedMerges`).
///
/// Scored merging repeatedly joins the adjacent pair whose concatenation is the best-scoring token. Every
/// way to spell a token as two tokens ("left right") becomes a merge, and merges are ranked by the score
/// of the token they make, best first, in the same float order `ScoredMerges` uses (-0.0 below +0.0).
/// Ties: lower token id first, then the longer left part first (as transformers' `generate_merges`).
/// The two algorithms agree whenever the pairs competing at one step make tokens of different scores; they
/// can differ only when two overlapping pairs make tokens of equal score (scored merging takes the leftmost).
/// Tokens containing a plain space get no merges: the normalizer turns every space into "▁" before merging,
/// so they can never be formed (Gemma stores runs of spaces as user-defined tokens matched in raw text).
enum ScoreOrderedMerges {
    /// One merge: the ids of its left and right parts.
    struct Pair: Equatable {
        var left: Int32
        var right: Int32
    }

    /// The merges in rank order. `table` maps token texts to ids (the lowest id for a repeated text);
    /// only that canonical id of a text is a merge result, as scored merging only ever looks it up.
    static func derive(tokens: [String], scores: [Float], table: ByteSequenceTable) -> [Pair] {
        // Pass 1: every token's splits, grouped by token id; tokens with a split keyed (score best-first, id).
        var splits: [Pair] = []
        splits.reserveCapacity(tokens.count * 2)
        var groupStarts = [Int](repeating: 0, count: tokens.count + 1)
        var keys: [UInt64] = []
        keys.reserveCapacity(tokens.count)
        for (id, text) in tokens.enumerated() {
            let first = splits.count
            var copy = text
            copy.withUTF8 { bytes in
                guard id < scores.count, table.lookup(bytes) == Int32(truncatingIfNeeded: id), !bytes.contains(0x20) else { return }
                forEachSplit(bytes, table: table) { splits.append($0) }
            }
            groupStarts[id + 1] = splits.count
            if splits.count > first {
                let bestFirst = ~ScoredMerges.sortable(scores[id])
                keys.append(UInt64(bestFirst) << 32 | UInt64(UInt32(truncatingIfNeeded: id)))
            }
        }
        keys.sort()
        // Pass 2: the groups in rank order, each with its longest left part first.
        var pairs: [Pair] = []
        pairs.reserveCapacity(splits.count)
        for key in keys {
            let id = Int(key & 0xFFFF_FFFF)
            pairs.append(contentsOf: splits[groupStarts[id]..<groupStarts[id + 1]].reversed())
        }
        return pairs
    }

    /// Calls `body` for each split of `bytes` at a character boundary into two tokens, left part shortest first.
    private static func forEachSplit(_ bytes: UnsafeBufferPointer<UInt8>, table: ByteSequenceTable, _ body: (Pair) -> Void) {
        var cut = 1
        while cut < bytes.count {
            // Cut only before a UTF-8 lead byte, so both parts are whole characters.
            if bytes[cut] & 0xC0 != 0x80,
               let left = table.lookup(UnsafeBufferPointer(rebasing: bytes[..<cut])),
               let right = table.lookup(UnsafeBufferPointer(rebasing: bytes[cut...])) {
                body(Pair(left: left, right: right))
            }
            cut += 1
        }
    }
}
