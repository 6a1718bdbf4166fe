import Foundation

extension Kernels {
    /// Scalar twin of `rmsNorm` (Double accumulation).
    public static func rmsNormReference(x: UnsafePointer<Float>, weight: UnsafePointer<Float>, eps: Float,
                                        numTokens: Int, dim: Int, out: UnsafeMutablePointer<Float>) {
        for t in 0..<numTokens {
            var sum = 0.0
            for i in 0..<dim { sum += Double(x[t * dim + i]) * Double(x[t * dim + i]) }
            let scale = 1.0 / (sum / Double(dim) + Double(eps)).squareRoot()
            for i in 0..<dim { out[t * dim + i] = Float(Double(x[t * dim + i]) * scale * Double(weight[i])) }
        }
    }

    /// Scalar twin of `rope` (Float angle as HF computes it; Double sin/cos and products).
    public static func ropeReference(_ x: UnsafeMutablePointer<Float>, numTokens: Int, numHeads: Int, headDim: Int,
                                     positions: UnsafePointer<Int32>, invFreq: UnsafePointer<Float>,
                                     pairing: RopePairing) {
        let half = headDim / 2
        for t in 0..<numTokens {
            for h in 0..<numHeads {
                let v = x + (t * numHeads + h) * headDim
                for i in 0..<half {
                    let angle = Double(Float(positions[t]) * invFreq[i])
                    let (c, s) = (cos(angle), sin(angle))
                    let (ia, ib) = pairing == .adjacent ? (2 * i, 2 * i + 1) : (i, i + half)
                    let a = Double(v[ia]), b = Double(v[ib])
                    v[ia] = Float(a * c - b * s)
                    v[ib] = Float(a * s + b * c)
                }
            }
        }
    }

    /// Scalar twin of `siluMul` (Double math).
    public static func siluMulReference(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                                        out: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let g = Double(gate[i])
            out[i] = Float(g / (1 + exp(-g)) * Double(up[i]))
        }
    }

    /// Scalar twin of `geluTanhMul` (Double math with tanh).
    public static func geluTanhMulReference(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int,
                                            out: UnsafeMutablePointer<Float>) {
        for i in 0..<count {
            let g = Double(gate[i])
            let z = (2.0 / Double.pi).squareRoot() * (g + 0.044715 * g * g * g)
            out[i] = Float(0.5 * g * (1 + tanh(z)) * Double(up[i]))
        }
    }

    /// Scalar twin of `add`.
    public static func addReference(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }

    /// Scalar twin of `pagedAttention`: for each token and head, all scores (of the window), a
    /// two-pass softmax and the weighted sum, in Double.
    public static func pagedAttentionReference(q: UnsafePointer<Float>, numTokens: Int, numHeads: Int,
                                               numKVHeads: Int, headDim: Int, kCache: UnsafePointer<Float>,
                                               vCache: UnsafePointer<Float>, blockSize: Int,
                                               blockTables: UnsafePointer<Int32>, maxBlocksPerSeq: Int,
                                               tokenSeq: UnsafePointer<Int32>, tokenPos: UnsafePointer<Int32>,
                                               scale: Float, slidingWindow: Int = 0,
                                               out: UnsafeMutablePointer<Float>) {
        pagedAttentionReference(q: q, numTokens: numTokens, numHeads: numHeads, numKVHeads: numKVHeads,
                                headDim: headDim, kCache: UnsafeRawPointer(kCache), vCache: UnsafeRawPointer(vCache),
                                kvDType: .float32, blockSize: blockSize, blockTables: blockTables,
                                maxBlocksPerSeq: maxBlocksPerSeq, tokenSeq: tokenSeq, tokenPos: tokenPos,
                                scale: scale, slidingWindow: slidingWindow, out: out)
    }

    /// Scalar twin of `pagedAttention` over a cache of `kvDType` elements (each widened exactly).
    public static func pagedAttentionReference(q: UnsafePointer<Float>, numTokens: Int, numHeads: Int,
                                               numKVHeads: Int, headDim: Int, kCache: UnsafeRawPointer,
                                               vCache: UnsafeRawPointer, kvDType: KVCacheDType, blockSize: Int,
                                               blockTables: UnsafePointer<Int32>, maxBlocksPerSeq: Int,
                                               tokenSeq: UnsafePointer<Int32>, tokenPos: UnsafePointer<Int32>,
                                               scale: Float, slidingWindow: Int = 0,
                                               out: UnsafeMutablePointer<Float>) {
        let group = numHeads / numKVHeads
        for t in 0..<numTokens {
            let numKeys = Int(tokenPos[t]) + 1
            let firstKey = slidingWindow > 0 ? max(0, numKeys - slidingWindow) : 0
            let table = blockTables + Int(tokenSeq[t]) * maxBlocksPerSeq
            for h in 0..<numHeads {
                let kvHead = h / group
                let qh = q + (t * numHeads + h) * headDim
                func offset(_ position: Int) -> Int {
                    let block = Int(table[position / blockSize])
                    return ((block * blockSize + position % blockSize) * numKVHeads + kvHead) * headDim
                }
                var scores = [Double](repeating: -.infinity, count: numKeys)
                for p in firstKey..<numKeys {
                    let k = offset(p)
                    var dot = 0.0
                    for i in 0..<headDim { dot += Double(qh[i]) * Double(loadKVReference(kCache, k + i, dtype: kvDType)) }
                    scores[p] = dot * Double(scale)
                }
                let maxScore = scores.max() ?? 0
                var acc = [Double](repeating: 0, count: headDim)
                var total = 0.0
                for p in firstKey..<numKeys {
                    let weight = exp(scores[p] - maxScore)
                    total += weight
                    let v = offset(p)
                    for i in 0..<headDim { acc[i] += weight * Double(loadKVReference(vCache, v + i, dtype: kvDType)) }
                }
                let o = out + (t * numHeads + h) * headDim
                for i in 0..<headDim { o[i] = Float(acc[i] / total) }
            }
        }
    }
}
