/// How a sequence's hidden states become one vector (vLLM's `PoolingType`): the mean of every
/// token's (sentence-transformers' mean pooling), the first token's ([CLS]), or the last token's
/// (decoder models).
public enum PoolingType: String, Sendable, Codable, CaseIterable {
    case mean = "MEAN"
    case cls = "CLS"
    case last = "LAST"
}

/// Turns concatenated hidden states into one vector per sequence, L2-normalized when asked.
public enum Pooler {
    /// hidden: [sum of lengths, width], sequences in order. Empty sequences give zero vectors.
    public static func pool(hidden: [Float], lengths: [Int], width: Int, type: PoolingType, normalize: Bool) -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(lengths.count)
        var start = 0
        for length in lengths {
            var vector = [Float](repeating: 0, count: width)
            if length > 0 {
                switch type {
                case .mean:
                    var sums = [Double](repeating: 0, count: width)
                    for t in start..<(start + length) {
                        for c in 0..<width { sums[c] += Double(hidden[t * width + c]) }
                    }
                    for c in 0..<width { vector[c] = Float(sums[c] / Double(length)) }
                case .cls:
                    for c in 0..<width { vector[c] = hidden[start * width + c] }
                case .last:
                    for c in 0..<width { vector[c] = hidden[(start + length - 1) * width + c] }
                }
            }
            if normalize { vector = normalized(vector) }
            vectors.append(vector)
            start += length
        }
        return vectors
    }

    /// v / max(|v|, 1e-12), as torch.nn.functional.normalize.
    public static func normalized(_ vector: [Float]) -> [Float] {
        var squares: Double = 0
        for value in vector { squares += Double(value) * Double(value) }
        let norm = max(squares.squareRoot(), 1e-12)
        return vector.map { Float(Double($0) / norm) }
    }
}
