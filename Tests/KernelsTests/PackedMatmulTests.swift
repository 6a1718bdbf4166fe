import CKernels
import Testing
@_spi(Testing) import Kernels

/// Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K and Q6_K weights packed at load (16-row groups) against activations quantized
/// to 16 bits per 32-column block: the layouts, the quantizer, bit-identical results on every
/// instruction set, batch size and thread count (packed FP8 too), and the distance to the F32-activation reference.
struct PackedMatmulTests {
    static let packedTypes: [WeightType] = [.q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K]

    /// `cols` rounded up to whole blocks of `type` (256 columns for the K types).
    static func columns(_ cols: Int, _ type: WeightType) -> Int { (cols + type.blockSize - 1) / type.blockSize * type.blockSize }

    /// Random weights of `type`, packed.
    static func packedMatrix(_ type: WeightType = .q8_0, rows: Int, cols: Int, seed: UInt64)
        -> (bytes: [UInt8], matrix: (UnsafeRawPointer) -> WeightMatrix) {
        var rng = SeededRandom(seed: seed)
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        return (bytes, { WeightMatrix(type: type, rows: rows, cols: cols, data: $0).packedForMatmul() })
    }

    static func run(_ w: WeightMatrix, _ x: [Float], numTokens: Int, pool: WorkerPool, isa: KernelISA) -> [Float] {
        var y = [Float](repeating: .nan, count: numTokens * w.rows)
        x.withUnsafeBufferPointer { Kernels.matmul(w, x: $0.baseAddress!, numTokens: numTokens, y: &y, pool: pool, isa: isa) }
        return y
    }

    /// The scalar outputs of `w` on x, after checking that every tested instruction set gives
    /// the same bits (on 2 threads where the scalar run has 1).
    static func expectScalarBitsOnEveryISA(_ w: WeightMatrix, _ x: [Float], numTokens: Int) -> [Float] {
        let scalar = run(w, x, numTokens: numTokens, pool: MatmulTests.pool1, isa: .scalar)
        for isa in testedISAs {
            let y = run(w, x, numTokens: numTokens, pool: MatmulTests.pool2, isa: isa)
            #expect(y.map(\.bitPattern) == scalar.map(\.bitPattern), "\(isa) differs from scalar")
        }
        return scalar
    }

    @Test func packedLayoutPlacesEachQuantAndScale() {
        let rows = 20, cols = 64  // two groups (the second padded from 4 rows), two blocks
        var bytes = [UInt8](repeating: 0, count: rows * 2 * 34)
        for r in 0..<rows {
            for b in 0..<2 {
                let at = (r * 2 + b) * 34
                bytes[at] = UInt8(r); bytes[at + 1] = UInt8(b + 1)  // scale bytes name the row and block
                for k in 0..<32 { bytes[at + 2 + k] = UInt8(truncatingIfNeeded: r * 64 + b * 32 + k) }
            }
        }
        let count = Int(sw_q8_packed_bytes(Int64(rows), Int64(cols)))
        #expect(count == 2 * 2 * 544)
        // packed over two different fillings: equal only if every byte was written
        var packed = [UInt8](repeating: 0x00, count: count), again = [UInt8](repeating: 0xFF, count: count)
        bytes.withUnsafeBytes { src in
            packed.withUnsafeMutableBytes { sw_q8_pack(src.baseAddress!, Int64(rows), Int64(cols), $0.baseAddress!) }
            again.withUnsafeMutableBytes { sw_q8_pack(src.baseAddress!, Int64(rows), Int64(cols), $0.baseAddress!) }
        }
        #expect(packed == again, "some packed bytes are left unwritten")
        // row 17 = group 1, lane 1; column 35 = block 1, pair 1 (columns 34, 35), second of the pair
        let block = (1 * 2 + 1) * 544
        #expect(packed[block + 2 * 1] == 17 && packed[block + 2 * 1 + 1] == 2)
        #expect(packed[block + 32 + 1 * 32 + 1 * 2 + 1] == UInt8(truncatingIfNeeded: 17 * 64 + 35))
        #expect(packed[block + 32 + 1 * 32 + 1 * 2 + 0] == UInt8(truncatingIfNeeded: 17 * 64 + 34))
        // padded lanes 4..<16 of the last group: zero scale, zero quants
        #expect(packed[block + 2 * 4] == 0 && packed[block + 32 + 15 * 32 + 15 * 2 + 1] == 0)
    }

    @Test func activationQuantizerRoundsPerBlockAndHandlesZerosAndNaN() throws {
        let cols = 128
        var x = [Float](repeating: 0, count: cols)
        for k in 0..<32 { x[k] = Float(k - 16) / 4 }  // block 0: max |x| = 4 at k = 0
        x[40] = 1e-3  // block 1: one value, the rest zero
        x[64] = .nan  // block 2: a NaN
        x[96] = 1e-36  // block 3: a scale below the smallest normal float, whose inverse overflows
        let bytes = Kernels.packedActivationByteCount(cols: cols)
        #expect(bytes == 2 * cols + 12 * 4)
        var outputs: [[UInt8]] = []
        for isa in testedISAs {
            var q = [UInt8](repeating: 0xEE, count: bytes)
            x.withUnsafeBufferPointer { xp in q.withUnsafeMutableBytes { Kernels.quantizeForPacked(xp.baseAddress!, numTokens: 1, cols: cols, into: $0.baseAddress!, isa: isa) } }
            outputs.append(q)
        }
        for (isa, q) in zip(testedISAs, outputs) { #expect(q == outputs[0], "\(isa) quantizes differently from scalar") }
        let q = outputs[0]
        func value(_ k: Int) -> Int16 { Int16(bitPattern: UInt16(q[2 * k]) | UInt16(q[2 * k + 1]) << 8) }
        func scale(_ b: Int) -> Float { q.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2 * cols + 4 * b, as: Float.self) } }
        #expect(scale(0) == Float(4) / 32767)
        #expect(value(0) == -32767 && value(16) == 0 && value(17) == 2048 && value(31) == 30719)  // 3.75 / 4 * 32767 = 30719.06
        #expect(scale(1) == Float(1e-3) / 32767 && value(40) == 32767 && value(41) == 0)
        #expect(scale(2).isNaN && value(65) == 0)
        #expect(scale(3) == Float(1e-36) / 32767 && value(96) == 0 && value(97) == 0)
        // each block's exact sum of its quants, after the scales
        func sum(_ b: Int) -> Int32 { q.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2 * cols + 16 + 4 * b, as: Int32.self) } }
        for b in 0..<4 { #expect(sum(b) == (0..<32).reduce(Int32(0)) { $0 + Int32(value(32 * b + $1)) }, "block \(b)") }
        #expect(sum(1) == 32767 && sum(3) == 0)
        // and of its first 16 (the Q6_K kernels' half blocks)
        func halfSum(_ b: Int) -> Int32 { q.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2 * cols + 32 + 4 * b, as: Int32.self) } }
        for b in 0..<4 { #expect(halfSum(b) == (0..<16).reduce(Int32(0)) { $0 + Int32(value(32 * b + $1)) }, "block \(b)") }
        #expect(halfSum(1) == 32767 && halfSum(0) == sum(0) - (16..<32).reduce(Int32(0)) { $0 + Int32(value($1)) })
    }

    @Test func q4_1LayoutPlacesEachNibbleScaleAndMinimum() {
        let rows = 20, cols = 64  // two groups (the second padded from 4 rows), two blocks
        var bytes = [UInt8](repeating: 0, count: rows * 2 * 20)
        /// The quant the test gives row r, column c: any 4-bit value that varies with both.
        func quant(_ r: Int, _ c: Int) -> UInt8 { UInt8((r * 7 + c * 3) % 16) }
        for r in 0..<rows {
            for b in 0..<2 {
                let at = (r * 2 + b) * 20
                bytes[at] = UInt8(r); bytes[at + 1] = UInt8(b + 1)  // d names the row and block
                bytes[at + 2] = UInt8(r + 100); bytes[at + 3] = UInt8(b + 1)  // so does m
                for k in 0..<16 { bytes[at + 4 + k] = quant(r, 32 * b + k) | quant(r, 32 * b + k + 16) << 4 }
            }
        }
        let count = Int(sw_packed_bytes(Int32(SW_Q4_1), Int64(rows), Int64(cols)))
        #expect(count == 2 * 2 * 320)
        var packed = [UInt8](repeating: 0x00, count: count), again = [UInt8](repeating: 0xFF, count: count)
        bytes.withUnsafeBytes { src in
            packed.withUnsafeMutableBytes { sw_pack(Int32(SW_Q4_1), src.baseAddress!, Int64(rows), Int64(cols), $0.baseAddress!) }
            again.withUnsafeMutableBytes { sw_pack(Int32(SW_Q4_1), src.baseAddress!, Int64(rows), Int64(cols), $0.baseAddress!) }
        }
        #expect(packed == again, "some packed bytes are left unwritten")
        // row 17 = group 1, half 0, lane 1 of 8 (lane 9 of 16); block 1
        let block = (1 * 2 + 1) * 320
        #expect(packed[block + 2 * 1] == 17 && packed[block + 2 * 1 + 1] == 2)
        #expect(packed[block + 32 + 2 * 1] == 117 && packed[block + 32 + 2 * 1 + 1] == 2)
        // column 32 + 8j + 2p + c of row 16 + 8h + i: nibble p of the u16 at quad j, half h, lane 2i + c
        for (r, c) in [(17, 32 + 0), (17, 32 + 13), (19, 32 + 31), (16, 32 + 22)] {
            let k = c - 32, j = k / 8, p = (k % 8) / 2, parity = k % 2, h = (r - 16) / 8, i = (r - 16) % 8
            let at = block + 64 + (2 * j + h) * 32 + 2 * (2 * i + parity)
            let lane = UInt16(packed[at]) | UInt16(packed[at + 1]) << 8
            #expect(UInt8((lane >> (4 * p)) & 0xF) == quant(r, c), "row \(r) column \(c)")
        }
        // padded rows 20..<32 (half 0 lanes 4..<8, all of half 1): zero scale, minimum and quants
        #expect(packed[block + 2 * 4] == 0 && packed[block + 32 + 2 * 15] == 0)
        #expect(packed[(block + 64)..<(block + 320)].enumerated().allSatisfy { offset, byte in
            let lane = (offset % 32) / 2, half = (offset / 32) % 2
            return half == 0 && lane < 8 || byte == 0
        })
    }

    @Test("Every ISA gives the scalar bits; the result is within the 16-bit rounding of the F32 reference",
          arguments: packedTypes, [(16, 32), (40, 576), (37, 1056)])
    func matchesScalarAndReference(type: WeightType, shape: (rows: Int, cols: Int)) {
        let rows = shape.rows, cols = Self.columns(shape.cols, type)
        let (bytes, make) = Self.packedMatrix(type, rows: rows, cols: cols, seed: 0x9A + UInt64(rows))
        var rng = SeededRandom(seed: 0x51 + UInt64(cols))
        let numTokens = 19
        let x = rng.floats(numTokens * cols, scale: 3)
        bytes.withUnsafeBytes { raw in
            let w = make(raw.baseAddress!)
            #expect(w.packed?.layout == [.q8_0: .q8_0Rows16, .q4_0: .q4_0Rows16, .q4_1: .q4_1Rows16,
                                           .q5_0: .q5_0Rows16, .q5_1: .q5_1Rows16, .q4_K: .q4_KRows16, .q5_K: .q5_KRows16,
                                           .q6_K: .q6_KRows16][type])
            let scalar = Self.expectScalarBitsOnEveryISA(w, x, numTokens: numTokens)
            // Bound: each activation moves by at most half a step (max|x| of its block / 32767 / 2),
            // plus float rounding of the block sums.
            var reference = [Float](repeating: 0, count: numTokens * rows)
            x.withUnsafeBufferPointer { Kernels.matmulReference(w, x: $0.baseAddress!, numTokens: numTokens, y: &reference) }
            var row = [Float](repeating: 0, count: cols)
            for r in 0..<rows {
                row.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(w, row: r, into: $0.baseAddress!) }
                for t in 0..<numTokens {
                    var bound = 0.0, magnitude = 0.0
                    for b in 0..<(cols / 32) {
                        let block = (0..<32).map { x[t * cols + 32 * b + $0] }
                        let step = Double(block.map(abs).max()!) / 32767
                        for k in 0..<32 {
                            bound += Double(abs(row[32 * b + k])) * step / 2
                            magnitude += Double(abs(row[32 * b + k] * block[k]))
                        }
                    }
                    let error = abs(Double(scalar[t * rows + r]) - Double(reference[t * rows + r]))
                    #expect(error <= bound * 1.001 + magnitude * 4e-6, "row \(r) token \(t): \(error) > \(bound)")
                }
            }
        }
    }

    @Test("A token's outputs are the same bits alone and anywhere in a batch, 1 and 2 threads",
          arguments: packedTypes + [.f8_e4m3_b32])
    func batchInvariant(type: WeightType) {
        let rows = 53, cols = Self.columns(1088, type)
        let (bytes, make) = Self.packedMatrix(type, rows: rows, cols: cols, seed: 0x77)
        var rng = SeededRandom(seed: 0x78)
        let x = rng.floats(40 * cols)
        bytes.withUnsafeBytes { raw in
            let w = make(raw.baseAddress!)
            for isa in testedISAs {
                let all = Self.run(w, x, numTokens: 40, pool: MatmulTests.pool2, isa: isa)
                for t in [0, 7, 8, 39] {
                    let alone = Self.run(w, Array(x[t * cols..<(t + 1) * cols]), numTokens: 1, pool: MatmulTests.pool1, isa: isa)
                    #expect(alone.map(\.bitPattern) == all[t * rows..<(t + 1) * rows].map(\.bitPattern), "\(isa) token \(t)")
                }
                for numTokens in [1, 2, 3, 9, 17] {
                    let first = 11
                    let part = Self.run(w, Array(x[first * cols..<(first + numTokens) * cols]), numTokens: numTokens,
                                        pool: MatmulTests.pool1, isa: isa)
                    #expect(part.map(\.bitPattern) == all[first * rows..<(first + numTokens) * rows].map(\.bitPattern),
                            "\(isa) \(numTokens) tokens")
                }
            }
        }
    }

    @Test func groupedCallMixesPackedAndPlainMatrices() {
        let cols = 576
        let (bytes, make) = Self.packedMatrix(rows: 48, cols: cols, seed: 0x31)
        var rng = SeededRandom(seed: 0x32)
        let plainBytes = randomWeightBytes(.f16, rows: 24, cols: cols, rng: &rng)
        let x = rng.floats(5 * cols)
        bytes.withUnsafeBytes { raw in
            plainBytes.withUnsafeBytes { plainRaw in
                let packed = make(raw.baseAddress!)
                let plain = WeightMatrix(type: .f16, rows: 24, cols: cols, data: plainRaw.baseAddress!)
                #expect(plain.packedForMatmul().packed == nil)
                for isa in testedISAs {
                    var y0 = [Float](repeating: .nan, count: 5 * 48), y1 = [Float](repeating: .nan, count: 5 * 24)
                    x.withUnsafeBufferPointer { xp in
                        Kernels.matmul(plain, packed, nil, x: xp.baseAddress!, numTokens: 5, y0: &y1, y1: &y0, y2: nil,
                                       pool: MatmulTests.pool2, isa: isa)
                    }
                    #expect(y0.map(\.bitPattern) == Self.run(packed, x, numTokens: 5, pool: MatmulTests.pool1, isa: isa).map(\.bitPattern))
                    #expect(y1.map(\.bitPattern) == Self.run(plain, x, numTokens: 5, pool: MatmulTests.pool1, isa: isa).map(\.bitPattern))
                }
            }
        }
    }
}
