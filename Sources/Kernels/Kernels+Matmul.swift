import CKernels

extension Kernels {
    /// y[t, r] = sum_c W[r, c] * x[t, c] for t in 0..<numTokens, r in 0..<rows.
    /// x: [numTokens, cols] F32 row-major; y: [numTokens, rows] F32 row-major. Tiles of 16 rows
    /// are claimed by the pool's workers. Batch-invariant: each output y[t, r] has one fixed
    /// arithmetic (same dequantized values, same summation order) on a given instruction set,
    /// so it is bit-identical for any numTokens, position of t in the batch, tiling and thread
    /// count (the decode path for 1-2 tokens included).
    public static func matmul(_ w: WeightMatrix, x: UnsafePointer<Float>, numTokens: Int,
                              y: UnsafeMutablePointer<Float>, pool: WorkerPool) {
        matmul(w, x: x, numTokens: numTokens, y: y, pool: pool, isa: .current)
    }

    /// `matmul` on the given instruction set (clamped to what the CPU has).
    @_spi(Testing)
    public static func matmul(_ w: WeightMatrix, x: UnsafePointer<Float>, numTokens: Int,
                              y: UnsafeMutablePointer<Float>, pool: WorkerPool, isa: KernelISA) {
        if w.rows <= 0 || numTokens <= 0 { return }
        let isaValue = isa.clamped.cValue, typeValue = w.type.cValue
        let rowBytes = Int64(w.rowByteCount), cols = Int64(w.cols), rows = w.rows
        let tile = Int(sw_matmul_row_tile())
        let numTiles = (rows + tile - 1) / tile
        let grain = numTiles / (pool.numThreads * WorkerPool.piecesPerWorker)
        pool.forEachPiece(numTiles, grain: grain, scratchFloats: Int(sw_matmul_scratch_floats(cols))) { range, scratch in
            sw_matmul_rows(isaValue, typeValue, w.data, rowBytes, cols,
                           Int64(range.lowerBound * tile), Int64(min(range.upperBound * tile, rows)),
                           x, Int64(numTokens), y, Int64(rows), scratch)
        }
    }

    /// Scalar, single-threaded twin of `matmul`: exact dequantization, Double accumulation.
    public static func matmulReference(_ w: WeightMatrix, x: UnsafePointer<Float>, numTokens: Int,
                                       y: UnsafeMutablePointer<Float>) {
        let cols = w.cols
        let row = UnsafeMutablePointer<Float>.allocate(capacity: max(cols, 1))
        defer { row.deallocate() }
        for r in 0..<w.rows {
            dequantizeRowReference(w, row: r, into: row)
            for t in 0..<numTokens {
                let xt = x + t * cols
                var sum = 0.0
                for c in 0..<cols { sum += Double(row[c]) * Double(xt[c]) }
                y[t * w.rows + r] = Float(sum)
            }
        }
    }

    /// Row `row` of `w` dequantized into out[0..<cols] (embedding lookup).
    public static func dequantizeRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutablePointer<Float>) {
        dequantizeRow(w, row: row, into: out, isa: .current)
    }

    /// `dequantizeRow` on the given instruction set.
    @_spi(Testing)
    public static func dequantizeRow(_ w: WeightMatrix, row: Int, into out: UnsafeMutablePointer<Float>,
                                     isa: KernelISA) {
        sw_dequantize(isa.clamped.cValue, w.type.cValue, w.data + row * w.rowByteCount, Int64(w.cols), out)
    }

    /// Scalar twin of `dequantizeRow` (GGML's formulas in GGML's order: bit-exact with gguf-py).
    public static func dequantizeRowReference(_ w: WeightMatrix, row: Int, into out: UnsafeMutablePointer<Float>) {
        sw_dequantize(KernelISA.scalar.cValue, w.type.cValue, w.data + row * w.rowByteCount, Int64(w.cols), out)
    }
}
