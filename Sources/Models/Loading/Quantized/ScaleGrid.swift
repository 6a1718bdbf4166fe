/// Where the scale (or zero point) of weight (row, col) of a [rows, cols] matrix sits in a
/// checkpoint's scale tensor, worked out from that tensor's shape: one per tensor, per output
/// channel, per group of columns, or per [blockRows, blockCols] tile. Every 32-column block of
/// the matrix then has one scale, which the repacked layouts need.
struct ScaleGrid: Equatable {
    let rowsPer: Int
    let colsPer: Int
    let rowStride: Int
    let colStride: Int
    /// Scales the tensor must hold.
    let count: Int

    func index(row: Int, col: Int) -> Int { (row / rowsPer) * rowStride + (col / colsPer) * colStride }

    /// The grid a scale tensor of `shape` gives a [rows, cols] matrix, or nil when the shape is
    /// none of the layouts or a group would split a 32-column block. `block` ([rows, cols] of one
    /// tile) reads a 2-D shape as tiles (compressed-tensors' block strategy, vLLM's fp8 blocks).
    init?(shape: [Int], rows: Int, cols: Int, block: [Int]? = nil) {
        let dims = shape.filter { $0 != 1 }
        if dims.isEmpty {  // [], [1], [1, 1]: one scale
            self.init(rowsPer: max(rows, 1), colsPer: max(cols, 1), rowStride: 0, colStride: 0, count: 1)
        } else if let block, block.count == 2, block[0] > 0, block[1] > 0, block[1] % 32 == 0,
                  shape == [(rows + block[0] - 1) / block[0], (cols + block[1] - 1) / block[1]] {
            self.init(rowsPer: block[0], colsPer: block[1], rowStride: shape[1], colStride: 1, count: shape[0] * shape[1])
        } else if shape == [rows] || shape == [rows, 1] {
            self.init(rowsPer: 1, colsPer: max(cols, 1), rowStride: 1, colStride: 0, count: rows)
        } else if shape.count == 2, shape[0] == rows, shape[1] > 0, cols % shape[1] == 0, (cols / shape[1]) % 32 == 0 {
            self.init(rowsPer: 1, colsPer: cols / shape[1], rowStride: shape[1], colStride: 1, count: rows * shape[1])
        } else {
            return nil
        }
    }

    /// GPTQ and AWQ's [groups, rows] layout (groups of `groupSize` input columns; -1 or 0: one group).
    init?(transposedShape shape: [Int], rows: Int, cols: Int, groupSize: Int) {
        let size = groupSize > 0 ? groupSize : cols
        guard size % 32 == 0, shape == [(cols + size - 1) / size, rows] else { return nil }
        self.init(rowsPer: 1, colsPer: size, rowStride: 1, colStride: rows, count: shape[0] * rows)
    }

    private init(rowsPer: Int, colsPer: Int, rowStride: Int, colStride: Int, count: Int) {
        self.rowsPer = rowsPer
        self.colsPer = colsPer
        self.rowStride = rowStride
        self.colStride = colStride
        self.count = count
    }
}
