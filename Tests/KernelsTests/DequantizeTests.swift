import Foundation
import Testing
@_spi(Testing) import Kernels

/// Dequantization: the scalar path against gguf-py's output (fixtures committed with
/// ModelFormats, made by scripts/fixtures/gguf_quant_fixtures.py), every vector path against
/// the scalar one. Both must be bit-exact: the formulas are the same and use no FMA.
struct DequantizeTests {
    @Test("Scalar dequantization is bit-exact with gguf-py", arguments: WeightType.allCases.filter(\.isGGMLType))
    func scalarMatchesGGUFPy(type: WeightType) throws {
        let dir = repoRoot.appendingPathComponent("Tests/ModelFormatsTests/Fixtures/quants")
        let name = type.rawValue.uppercased()
        let blocks = try Data(contentsOf: dir.appendingPathComponent("\(name).blocks.bin"))
        let expectedBytes = try Data(contentsOf: dir.appendingPathComponent("\(name).expected.bin"))
        let count = expectedBytes.count / 4
        try #require(blocks.count == count / type.blockSize * type.typeSize)
        let expected: [UInt32] = expectedBytes.withUnsafeBytes { raw in
            (0..<count).map { raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self).littleEndian }
        }
        var got = [Float](repeating: 0, count: count)
        blocks.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: 1, cols: count, data: raw.baseAddress!)
            got.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(w, row: 0, into: $0.baseAddress!) }
        }
        let mismatches = (0..<count).filter { got[$0].bitPattern != expected[$0] }
        #expect(mismatches.isEmpty, "first mismatch at \(mismatches.first ?? -1)")
    }

    @Test("Every vector dequantizer equals the scalar one bit for bit", arguments: WeightType.allCases)
    func vectorMatchesScalar(type: WeightType) {
        var rng = SeededRandom(seed: 0xDE0 + UInt64(type.typeSize))
        let rows = 3, cols = 4 * 256
        let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
            var expected = [Float](repeating: 0, count: cols)
            for row in 0..<rows {
                expected.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(w, row: row, into: $0.baseAddress!) }
                for isa in testedISAs {
                    var got = [Float](repeating: .nan, count: cols)
                    got.withUnsafeMutableBufferPointer { Kernels.dequantizeRow(w, row: row, into: $0.baseAddress!, isa: isa) }
                    let bad = (0..<cols).filter { got[$0].bitPattern != expected[$0].bitPattern }
                    #expect(bad.isEmpty, "\(type) \(isa) row \(row): first mismatch at \(bad.first ?? -1)")
                }
            }
        }
    }

    @Test("Hand-computed Q8_0 and Q4_1 blocks")
    func handComputed() {
        // Q8_0: d = 0.5 (half 0x3800), q = -3, 7 -> -1.5, 3.5
        var q8 = [UInt8](repeating: 0, count: 34)
        q8[0] = 0x00; q8[1] = 0x38; q8[2] = UInt8(bitPattern: -3); q8[3] = 7
        // Q4_1: d = 2 (0x4000), m = -1 (0xBC00), qs[0] = 0x5A -> x0 = 2*10-1 = 19, x16 = 2*5-1 = 9
        var q4 = [UInt8](repeating: 0, count: 20)
        q4[0] = 0x00; q4[1] = 0x40; q4[2] = 0x00; q4[3] = 0xBC; q4[4] = 0x5A
        var out = [Float](repeating: 0, count: 32)
        for isa in testedISAs {
            q8.withUnsafeBytes { raw in
                let w = WeightMatrix(type: .q8_0, rows: 1, cols: 32, data: raw.baseAddress!)
                out.withUnsafeMutableBufferPointer { Kernels.dequantizeRow(w, row: 0, into: $0.baseAddress!, isa: isa) }
            }
            #expect(Array(out[0..<3]) == [-1.5, 3.5, 0], "\(isa)")
            q4.withUnsafeBytes { raw in
                let w = WeightMatrix(type: .q4_1, rows: 1, cols: 32, data: raw.baseAddress!)
                out.withUnsafeMutableBufferPointer { Kernels.dequantizeRow(w, row: 0, into: $0.baseAddress!, isa: isa) }
            }
            #expect(out[0] == 19 && out[16] == 9 && out[1] == -1, "\(isa)")
        }
    }

    /// f8_e4m3_b32 (compressed-tensors FP8 weights repacked): every code times its block's F32
    /// scale, from the format's definition, on every ISA (the kernels read a table of the codes).
    @Test("FP8 weight blocks dequantize every code exactly")
    func fp8BlocksReadEveryCode() {
        // one per block of 32 codes, two of them large enough that some products overflow
        let scales: [Float] = [1, 0.0123, -3.5, 1e-3, 7, 1e37, 2, -3e36]
        var bytes: [UInt8] = []
        for (block, scale) in scales.enumerated() {
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { bytes += $0 }
            bytes += (0..<32).map { UInt8(block * 32 + $0) }
        }
        let expected = (0..<256).map { Kernels.fp8Value(UInt8($0), .fp8E4M3) * scales[$0 / 32] }
        bytes.withUnsafeBytes { raw in
            let w = WeightMatrix(type: .f8_e4m3_b32, rows: 1, cols: 256, data: raw.baseAddress!)
            for isa in [KernelISA.scalar] + testedISAs {
                var got = [Float](repeating: 0, count: 256)
                got.withUnsafeMutableBufferPointer { Kernels.dequantizeRow(w, row: 0, into: $0.baseAddress!, isa: isa) }
                #expect(zip(got, expected).allSatisfy { $1.isNaN ? $0.isNaN : $0 == $1 }, "\(isa)")
            }
        }
    }
}
