import CKernels

extension Kernels {
    /// y[t, r] = sum_c W[r, c] * x[t, c] for t in 0..<numTokens, r in 0..<rows.
    /// x: [numTokens, cols] F32 row-major; y: [numTokens, rows] F32 row-major. Tiles of 16 rows
    /// are claimed by the pool's workers. Batch-invariant: each output y[t, r] has one fixed
    /// arithmetic (same dequantized values, same summation order) on a given instruction set,
    /// so it is bit-identical for any numTokens, position of t in the batch, tiling and thread
    /// count (the decode path for 1-2 tokens included). A matrix with a packed copy
    /// (`packedForMatmul()`: Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K) is multiplied from it against x quantized once per call to
    /// 16-bit integers per 32 columns, with the same invariance (packed f8_e4m3_b32: against x itself).
    public static func matmul(_ w: WeightMatrix, x: UnsafePointer<Float>, numTokens: Int,
                              y: UnsafeMutablePointer<Float>, pool: WorkerPool) {
        matmul(w, x: x, numTokens: numTokens, y: y, pool: pool, isa: .current)
    }

    /// `matmul` on the given instruction set (clamped to what the CPU has).
    @_spi(Testing)
    public static func matmul(_ w: WeightMatrix, x: UnsafePointer<Float>, numTokens: Int,
                              y: UnsafeMutablePointer<Float>, pool: WorkerPool, isa: KernelISA) {
        matmul(w, w, nil, x: x, numTokens: numTokens, y0: y, y1: nil, y2: nil, pool: pool, isa: isa)
    }

    /// Two or three matmuls of the same input in one parallel loop (q, k, v or gate, up): one
    /// dispatch and one wait instead of several. Each y is [numTokens, rows of its W]; every
    /// output has the arithmetic of `matmul` (same bits). All matrices have x's `cols`.
    public static func matmul(_ w0: WeightMatrix, _ w1: WeightMatrix, _ w2: WeightMatrix? = nil,
                              x: UnsafePointer<Float>, numTokens: Int, y0: UnsafeMutablePointer<Float>,
                              y1: UnsafeMutablePointer<Float>, y2: UnsafeMutablePointer<Float>? = nil,
                              pool: WorkerPool) {
        matmul(w0, w1, w2, x: x, numTokens: numTokens, y0: y0, y1: y1, y2: y2, pool: pool, isa: .current)
    }

    /// `matmul` of one to three packed matrices (y1 nil: w0 alone) on activations quantized
    /// already in the packed kernels' layout (`int8QuantizeForPacked`): no quantization pass.
    public static func matmul(_ w0: WeightMatrix, _ w1: WeightMatrix, _ w2: WeightMatrix?, packedInput: UnsafeRawPointer,
                              numTokens: Int, y0: UnsafeMutablePointer<Float>, y1: UnsafeMutablePointer<Float>?,
                              y2: UnsafeMutablePointer<Float>?, pool: WorkerPool) {
        let quantized = { (w: WeightMatrix?) in w?.packed?.layout.takesQuantizedInput == true }
        precondition(quantized(w0) && (y1 == nil || quantized(w1)) && (y1 == nil || y2 == nil || quantized(w2)),
                     "Kernels.matmul(packedInput:): every matrix must be packed for 16-bit integer activations")
        grouped(w0, w1, w2, x: nil, packedInput: packedInput, numTokens: numTokens, y0: y0, y1: y1, y2: y2, pool: pool, isa: .current)
    }

    /// The grouped `matmul` on the given instruction set. y1 nil: w0 alone (w1 is ignored).
    @_spi(Testing)
    public static func matmul(_ w0: WeightMatrix, _ w1: WeightMatrix, _ w2: WeightMatrix?,
                              x: UnsafePointer<Float>, numTokens: Int, y0: UnsafeMutablePointer<Float>,
                              y1: UnsafeMutablePointer<Float>?, y2: UnsafeMutablePointer<Float>?,
                              pool: WorkerPool, isa: KernelISA) {
        grouped(w0, w1, w2, x: x, packedInput: nil, numTokens: numTokens, y0: y0, y1: y1, y2: y2, pool: pool, isa: isa)
    }

    /// Both grouped matmuls: on x (quantized once per call for packed matrices), or on activations
    /// already quantized for packed matrices (`packedInput`, every matrix packed; x unused).
    private static func grouped(_ w0: WeightMatrix, _ w1: WeightMatrix, _ w2: WeightMatrix?,
                                x: UnsafePointer<Float>?, packedInput: UnsafeRawPointer?, numTokens: Int,
                                y0: UnsafeMutablePointer<Float>, y1: UnsafeMutablePointer<Float>?,
                                y2: UnsafeMutablePointer<Float>?, pool: WorkerPool, isa: KernelISA) {
        if numTokens <= 0 { return }
        let tile = Int(sw_matmul_row_tile())
        let n1 = y1 == nil ? nil : w1, n2 = y1 == nil || y2 == nil ? nil : w2
        precondition((n1?.cols ?? w0.cols) == w0.cols && (n2?.cols ?? w0.cols) == w0.cols,
                     "Kernels.matmul: grouped matrices must have the same number of columns")
        // Tiles of W0, then of W1, then of W2, numbered consecutively.
        let tiles0 = (max(w0.rows, 0) + tile - 1) / tile
        let tiles1 = n1.map { (max($0.rows, 0) + tile - 1) / tile } ?? 0
        let tiles2 = n2.map { (max($0.rows, 0) + tile - 1) / tile } ?? 0
        let numTiles = tiles0 + tiles1 + tiles2
        if numTiles == 0 { return }
        let isaValue = isa.clamped.cValue, cols = Int64(w0.cols)
        let grain = numTiles / (pool.numThreads * WorkerPool.piecesPerWorker)
        let scratchFloats = Int(sw_matmul_scratch_floats(cols))
        /// Rows of `range` (tiles numbered across the matrices) in the tiles [first, first + count) of `w`.
        func run(_ w: WeightMatrix, first: Int, count: Int, range: Range<Int>, y: UnsafeMutablePointer<Float>,
                 scratch: UnsafeMutablePointer<Float>, quantized: UnsafeRawPointer?) {
            let lower = max(range.lowerBound, first), upper = min(range.upperBound, first + count)
            if lower >= upper { return }
            let rowStart = Int64((lower - first) * tile), rowEnd = Int64(min((upper - first) * tile, w.rows))
            if let packed = w.packed, !packed.layout.takesQuantizedInput {
                sw_matmul_f8_rows(isaValue, packed.bytes, cols, rowStart, rowEnd, x!, Int64(numTokens), y, Int64(w.rows), scratch)
            } else if let packed = w.packed, let quantized {
                sw_matmul_packed_rows(isaValue, w.type.cValue, packed.bytes, cols, rowStart, rowEnd, quantized,
                                      Int64(numTokens), y, Int64(w.rows))
            } else {
                sw_matmul_rows(isaValue, w.type.cValue, w.data, Int64(w.rowByteCount), cols, rowStart, rowEnd,
                               x!, Int64(numTokens), y, Int64(w.rows), scratch)
            }
        }
        func runAll(_ range: Range<Int>, _ scratch: UnsafeMutablePointer<Float>, _ quantized: UnsafeRawPointer?) {
            run(w0, first: 0, count: tiles0, range: range, y: y0, scratch: scratch, quantized: quantized)
            if let n1, let y1 { run(n1, first: tiles0, count: tiles1, range: range, y: y1, scratch: scratch, quantized: quantized) }
            if let n2, let y2 { run(n2, first: tiles0 + tiles1, count: tiles2, range: range, y: y2, scratch: scratch, quantized: quantized) }
        }
        precondition(tile % 16 == 0, "Kernels.matmul: packed rows must start on a 16-row group")
        let quantizes = [w0, n1, n2].contains { $0?.packed?.layout.takesQuantizedInput == true }
        guard quantizes else {
            pool.forEachPiece(numTiles, grain: grain, scratchFloats: scratchFloats) { range, scratch in
                runAll(range, scratch, nil)
            }
            return
        }
        if let packedInput {
            pool.forEachPiece(numTiles, grain: grain, scratchFloats: scratchFloats) { range, scratch in
                runAll(range, scratch, packedInput)
            }
            return
        }
        guard let x else { return }
        // Packed weights read the activations quantized once per call (16-bit, per 32 columns),
        // by all workers when there are many of them, else by the caller.
        let tokenBytes = packedActivationByteCount(cols: w0.cols)
        pool.forEachPiece(numTiles, grain: grain, scratchFloats: scratchFloats, sharedBytes: numTokens * tokenBytes,
                          prepareCount: numTokens, parallelPrepare: numTokens * w0.cols >= 32768) { tokens, shared in
            quantizeForPacked(x + tokens.lowerBound * w0.cols, numTokens: tokens.count, cols: w0.cols,
                              into: shared + tokens.lowerBound * tokenBytes, isa: isa)
        } _: { range, scratch, shared in
            runAll(range, scratch, UnsafeRawPointer(shared))
        }
    }

    /// Scalar, single-threaded twin of `matmul`: exact dequantization, Double accumulation (packed
    /// weights are read from `data`, so this is also their F32-activation reference).
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
