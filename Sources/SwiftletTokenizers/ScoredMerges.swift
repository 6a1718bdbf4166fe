/// SentencePiece-style BPE: start from UTF-8 characters, repeatedly merge the adjacent pair whose
/// concatenation is a token with the highest score (leftmost first on ties); characters that are not
/// tokens fall back to byte tokens `<0xXX>` (or the unknown token when the vocabulary has none).
struct ScoredMerges: Sendable {
    let tokens: ByteSequenceTable
    let scores: [Float]
    let byteTokenIDs: [Int32]
    let unknownTokenID: Int32

    /// Encodes `text` (already normalized: spaces escaped to "▁") and appends the ids to `output`.
    func encode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        // Heap positions are 32-bit: encode gigantic texts in independent chunks cut at character starts.
        var chunkStart = 0
        while text.count - chunkStart > RankedMerges.maxHeapRun {
            var cut = chunkStart + RankedMerges.maxHeapRun
            while cut > chunkStart + 1 && text[cut] & 0xC0 == 0x80 { cut -= 1 }
            encodeChunk(UnsafeBufferPointer(rebasing: text[chunkStart..<cut]), into: &output)
            chunkStart = cut
        }
        encodeChunk(UnsafeBufferPointer(rebasing: text[chunkStart...]), into: &output)
    }

    private func encodeChunk(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        var starts: [Int] = []
        var index = 0
        while index < text.count {
            starts.append(index)
            let lead = text[index]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            index = min(index + length, text.count)
        }
        let count = starts.count
        if count == 0 { return }
        var ends = (0..<count).map { $0 + 1 < count ? starts[$0 + 1] : text.count }
        var next = (0..<count).map { $0 + 1 < count ? $0 + 1 : -1 }
        var previous = (0..<count).map { $0 - 1 }
        var alive = [Bool](repeating: true, count: count)
        var heap = MinHeap()

        func pairScoreKey(_ position: Int) -> UInt64? {
            let following = next[position]
            guard following >= 0 else { return nil }
            let slice = UnsafeBufferPointer(rebasing: text[starts[position]..<ends[following]])
            guard let id = tokens.lookup(slice), Int(id) < scores.count else { return nil }
            return UInt64(~Self.sortable(scores[Int(id)])) << 32 | UInt64(position)
        }
        func push(_ position: Int) {
            if let key = pairScoreKey(position) { heap.push(key) }
        }
        for position in 0..<(count - 1) { push(position) }
        while let entry = heap.pop() {
            let position = Int(entry & 0xFFFF_FFFF)
            guard alive[position], let key = pairScoreKey(position), key == entry else { continue }
            let following = next[position]
            ends[position] = ends[following]
            alive[following] = false
            let after = next[following]
            next[position] = after
            if after >= 0 { previous[after] = position }
            if previous[position] >= 0 { push(previous[position]) }
            push(position)
        }
        var position = 0
        while position >= 0 && position < count {
            let range = starts[position]..<ends[position]
            if let id = tokens.lookup(UnsafeBufferPointer(rebasing: text[range])) {
                output.append(id)
            } else {
                for byte in text[range] {
                    let byteID = byteTokenIDs[Int(byte)]
                    output.append(byteID >= 0 ? byteID : unknownTokenID)
                }
            }
            position = next[position]
        }
    }

    /// A float's bits reordered so that unsigned comparison follows numeric order.
    @inline(__always)
    static func sortable(_ value: Float) -> UInt32 {
        let bits = value.bitPattern
        return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
    }
}
