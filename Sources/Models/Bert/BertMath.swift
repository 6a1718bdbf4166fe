import Foundation
import Kernels

/// The elementwise parts of a BERT layer and its bidirectional attention, in plain Swift.
enum BertMath {
    /// y[r, c] += bias[c]
    static func addBias(_ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, rows: Int, cols: Int) {
        for r in 0..<rows {
            let row = y + r * cols
            for c in 0..<cols { row[c] += bias[c] }
        }
    }

    /// Each row of x (in place): (x - mean) / sqrt(variance + eps) * weight + bias.
    static func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, cols: Int, norm: BertNorm, eps: Float) {
        let weight = norm.weight.pointer, bias = norm.bias.pointer
        for r in 0..<rows {
            let row = x + r * cols
            var sum: Float = 0
            for c in 0..<cols { sum += row[c] }
            let mean = sum / Float(cols)
            var squares: Float = 0
            for c in 0..<cols {
                let d = row[c] - mean
                squares += d * d
            }
            let scale = 1 / (squares / Float(cols) + eps).squareRoot()
            for c in 0..<cols { row[c] = (row[c] - mean) * scale * weight[c] + bias[c] }
        }
    }

    /// x = 0.5 x (1 + erf(x / sqrt 2)), in place.
    static func geluErf(_ x: UnsafeMutablePointer<Float>, count: Int) {
        let invSqrt2: Float = 0.70710678118654752
        for i in 0..<count { x[i] = 0.5 * x[i] * (1 + erf(x[i] * invSqrt2)) }
    }

    /// Softmax(q k^T / sqrt(headDim)) v for every head of every sequence, each sequence attending
    /// to all of its own tokens. q, k, v, out: [sum of lengths, numHeads * headDim]. Work is split
    /// over (sequence, head) pairs; each worker keeps one row of scores on its stack.
    static func attention(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                          out: UnsafeMutablePointer<Float>, lengths: [Int], numHeads: Int, headDim: Int, pool: WorkerPool) {
        let width = numHeads * headDim
        var offsets: [Int] = []
        offsets.reserveCapacity(lengths.count)
        var offset = 0
        for length in lengths {
            offsets.append(offset)
            offset += length
        }
        let longest = lengths.max() ?? 0
        let scale = 1 / Float(headDim).squareRoot()
        pool.parallelFor(lengths.count * numHeads) { range, _ in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: max(1, longest)) { scores in
                for item in range {
                    let sequence = item / numHeads, head = item % numHeads
                    let start = offsets[sequence], length = lengths[sequence]
                    for i in 0..<length {
                        let query = q + (start + i) * width + head * headDim
                        var largest = -Float.infinity
                        for j in 0..<length {
                            let key = k + (start + j) * width + head * headDim
                            var dot: Float = 0
                            for d in 0..<headDim { dot += query[d] * key[d] }
                            scores[j] = dot * scale
                            largest = max(largest, scores[j])
                        }
                        var total: Float = 0
                        for j in 0..<length {
                            scores[j] = exp(scores[j] - largest)
                            total += scores[j]
                        }
                        let row = out + (start + i) * width + head * headDim
                        for d in 0..<headDim { row[d] = 0 }
                        for j in 0..<length {
                            let weight = scores[j] / total
                            let value = v + (start + j) * width + head * headDim
                            for d in 0..<headDim { row[d] += weight * value[d] }
                        }
                    }
                }
            }
        }
    }
}
