import CKernels
import Testing
@_spi(Testing) import Kernels

/// FP8 E4M3 weights (f8_e4m3_b32 rows) packed at load into 16-row groups against F32 activations
/// (CKernels f8_packed.h): the layout, the scalar bits on every instruction set, the distance to
/// the Double reference, NaN codes, and grouped calls beside 16-bit kernels (batch invariance:
/// PackedMatmulTests.batchInvariant).
struct PackedFP8MatmulTests {
    static func matrix(rows: Int, cols: Int, seed: UInt64) -> (bytes: [UInt8], matrix: (UnsafeRawPointer) -> WeightMatrix) {
        PackedMatmulTests.packedMatrix(.f8_e4m3_b32, rows: rows, cols: cols, seed: seed)
    }

    @Test func layoutPlacesEachCodeAndScaledScale() {
        let rows = 20, cols = 64  // two groups (the second padded from 4 rows), two blocks
        var bytes = [UInt8](repeating: 0, count: rows * 2 * 36)
        func code(_ r: Int, _ c: Int) -> UInt8 { UInt8((r * 29 + c * 7) % 127) }  // never 0x7F
        for r in 0..<rows {
            for b in 0..<2 {
                let at = (r * 2 + b) * 36
                withUnsafeBytes(of: Float(r + 1) * (b == 0 ? 0.5 : 0.25)) { bytes.replaceSubrange(at..<at + 4, with: $0) }
                for k in 0..<32 { bytes[at + 4 + k] = code(r, 32 * b + k) }
            }
        }
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: .f8_e4m3_b32, rows: rows, cols: cols, data: raw.baseAddress!).packedForMatmul()
            guard let packed = w.packed else { Issue.record("not packed"); return }
            #expect(packed.layout == .f8_e4m3Rows16 && !packed.layout.takesQuantizedInput)
            #expect(packed.byteCount == 2 * 2 * 576)
            let p = UnsafeRawBufferPointer(start: packed.bytes, count: packed.byteCount)
            for g in 0..<2 {
                for b in 0..<2 {
                    let blk = (g * 2 + b) * 576
                    for lane in 0..<16 {
                        let r = 16 * g + lane
                        let scale = p.loadUnaligned(fromByteOffset: blk + 4 * lane, as: Float.self)
                        #expect(scale == (r < rows ? Float(r + 1) * (b == 0 ? 0.5 : 0.25) * 256 : 0))
                        for k in 0..<32 {
                            #expect(p[blk + 64 + (k / 2) * 32 + (k % 2) * 16 + lane] == (r < rows ? code(r, 32 * b + k) : 0))
                        }
                    }
                }
            }
        }
    }

    @Test("Every ISA gives the scalar bits, within float rounding of the Double reference",
          arguments: [(16, 32), (40, 576), (37, 1088)])
    func matchesScalarAndReference(shape: (rows: Int, cols: Int)) {
        let (rows, cols) = shape
        let (bytes, make) = Self.matrix(rows: rows, cols: cols, seed: 0xF8 + UInt64(rows))
        var rng = SeededRandom(seed: 0x81 + UInt64(cols))
        let numTokens = 19
        let x = rng.floats(numTokens * cols, scale: 3)
        bytes.withUnsafeBytes { raw in
            let w = make(raw.baseAddress!)
            #expect(w.packed?.layout == .f8_e4m3Rows16)
            let scalar = PackedMatmulTests.expectScalarBitsOnEveryISA(w, x, numTokens: numTokens)
            var reference = [Float](repeating: 0, count: numTokens * rows)
            x.withUnsafeBufferPointer { Kernels.matmulReference(w, x: $0.baseAddress!, numTokens: numTokens, y: &reference) }
            var row = [Float](repeating: 0, count: cols)
            for r in 0..<rows {
                row.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(w, row: r, into: $0.baseAddress!) }
                for t in 0..<numTokens {
                    // float rounding only: the widened codes and products are exact, each of the
                    // 16-term chains and the block sums rounds once per step
                    let magnitude = (0..<cols).reduce(0.0) { $0 + Double(abs(row[$1] * x[t * cols + $1])) }
                    let error = abs(Double(scalar[t * rows + r]) - Double(reference[t * rows + r]))
                    #expect(error <= magnitude * 20 * 6e-8, "row \(r) token \(t): \(error) of \(magnitude)")
                }
            }
        }
    }

    @Test func nanCodeKeepsTheUnpackedKernels() {
        let rows = 16, cols = 64
        var (bytes, _) = Self.matrix(rows: rows, cols: cols, seed: 0x99)
        bytes[5 * 36 + 4 + 3] = 0xFF  // row 2, block 1, column 35
        let x = [Float](repeating: 1, count: cols)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: .f8_e4m3_b32, rows: rows, cols: cols, data: raw.baseAddress!).packedForMatmul()
            #expect(w.packed == nil)
            let y = PackedMatmulTests.run(w, x, numTokens: 1, pool: MatmulTests.pool1, isa: .current)
            #expect(y[2].isNaN && !y[1].isNaN && !y[3].isNaN)
        }
    }

    @Test func groupedCallMixesFP8AndSixteenBitKernels() {
        let cols = 576
        let (fp8Bytes, makeFP8) = Self.matrix(rows: 48, cols: cols, seed: 0x41)
        let (q8Bytes, makeQ8) = PackedMatmulTests.packedMatrix(.q8_0, rows: 24, cols: cols, seed: 0x42)
        var rng = SeededRandom(seed: 0x43)
        let x = rng.floats(5 * cols)
        fp8Bytes.withUnsafeBytes { fp8Raw in
            q8Bytes.withUnsafeBytes { q8Raw in
                let fp8 = makeFP8(fp8Raw.baseAddress!), q8 = makeQ8(q8Raw.baseAddress!)
                for isa in testedISAs {
                    for (first, second) in [(fp8, q8), (q8, fp8)] {
                        var y0 = [Float](repeating: .nan, count: 5 * first.rows), y1 = [Float](repeating: .nan, count: 5 * second.rows)
                        x.withUnsafeBufferPointer { xp in
                            Kernels.matmul(first, second, nil, x: xp.baseAddress!, numTokens: 5, y0: &y0, y1: &y1, y2: nil,
                                           pool: MatmulTests.pool2, isa: isa)
                        }
                        #expect(y0.map(\.bitPattern) == PackedMatmulTests.run(first, x, numTokens: 5, pool: MatmulTests.pool1, isa: isa).map(\.bitPattern))
                        #expect(y1.map(\.bitPattern) == PackedMatmulTests.run(second, x, numTokens: 5, pool: MatmulTests.pool1, isa: isa).map(\.bitPattern))
                    }
                }
            }
        }
    }
}
