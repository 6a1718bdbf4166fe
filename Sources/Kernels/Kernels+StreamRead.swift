import CKernels

extension Kernels {
    /// Floats per piece of a parallel streaming read (4 MiB): pieces are summed in piece order,
    /// so the result does not depend on the thread count.
    static let streamPieceFloats = 1 << 20

    /// Sum of `x[0..<count]`, read by every worker of `pool` in 4 MiB pieces: a streaming read at
    /// the memory bandwidth the cores reach (`swiftlet bench memory`).
    public static func streamSum(_ x: UnsafePointer<Float>, count: Int, pool: WorkerPool) -> Float {
        let numPieces = (count + streamPieceFloats - 1) / streamPieceFloats
        guard numPieces > 0 else { return 0 }
        var partial = [Float](repeating: 0, count: numPieces)  // [numPieces]
        let isa = KernelISA.current.clamped.cValue
        partial.withUnsafeMutableBufferPointer { sums in
            let out = sums
            pool.parallelFor(numPieces) { range, _ in
                for piece in range {
                    let start = piece * streamPieceFloats
                    out[piece] = sw_stream_sum(isa, x + start, Int64(min(streamPieceFloats, count - start)))
                }
            }
        }
        return partial.reduce(0, +)
    }

    /// Scalar twin of `streamSum`: the same pieces and the same 16 partial sums, in plain Swift.
    public static func streamSumReference(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var total: Float = 0
        var start = 0
        while start < count {
            let end = min(start + streamPieceFloats, count)
            var lanes = [Float](repeating: 0, count: 16)
            var i = start
            while i + 16 <= end {
                for k in 0..<16 { lanes[k] += x[i + k] }
                i += 16
            }
            while i < end {
                lanes[(i - start) % 16] += x[i]
                i += 1
            }
            total += sumOf16(lanes)
            start = end
        }
        return total
    }
}

/// The C kernels' fixed reduction of 16 partial sums (sw_sum16), in Swift.
func sumOf16(_ s: [Float]) -> Float {
    var a = [Float](repeating: 0, count: 8)
    for k in 0..<8 { a[k] = s[k] + s[k + 8] }
    let b0 = (a[0] + a[4]) + (a[2] + a[6])
    let b1 = (a[1] + a[5]) + (a[3] + a[7])
    return b0 + b1
}
