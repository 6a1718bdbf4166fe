import Foundation
import Testing
@_spi(Testing) import Kernels

/// The KV write's conversion to F16/BF16 on every instruction set against its scalar twin, and
/// paged attention over F16/BF16 caches against the Double reference that widens the same
/// elements, including bit-identical results for 1 and 2 threads and any batch composition.
struct KVCacheDTypeTests {
    /// Edge values: ties, the F16 overflow boundary, subnormals of both formats, specials.
    static let edgeValues: [Float] = [
        0, -0, 1, -1, 0.1, 1 + 0x1p-11, 1 + 3 * 0x1p-11, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 65504, 65519.99, 65520, -65520,
        0x1p-24, 0x1p-25, 3 * 0x1p-25, 0x1p-14, 0x1p-14 - 0x1p-25, 1e-30, Float.leastNonzeroMagnitude,
        Float.greatestFiniteMagnitude, .infinity, -.infinity, .nan, Float(bitPattern: 0x7F80_0001), 3.4e38,
        Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), -7.5e-6,
    ]

    /// `values` stored as `dtype` by the kernel on `isa` (nil: the Swift reference), as elements of T.
    static func stored<T: FixedWidthInteger>(_ values: [Float], _ dtype: KVCacheDType, isa: KernelISA?, as _: T.Type) -> [T] {
        var out = [T](repeating: 0, count: values.count * dtype.byteCount / MemoryLayout<T>.size)
        out.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            if let isa {
                Kernels.storeKV(values, count: values.count, dtype: dtype, into: base, isa: isa)
            } else {
                Kernels.storeKVReference(values, count: values.count, dtype: dtype, into: base)
            }
        }
        return out
    }

    static func converted(_ values: [Float], _ dtype: KVCacheDType, isa: KernelISA?) -> [UInt16] {
        stored(values, dtype, isa: isa, as: UInt16.self)
    }

    @Test("F16/BF16 KV write: exact bits of edge values")
    func pinnedBits() {
        let values: [Float] = [1, 65504, 65519.99, 65520, 0x1p-24, 0x1p-25, 3 * 0x1p-25, 1 + 0x1p-11, 1 + 3 * 0x1p-11]
        #expect(Self.converted(values, .float16, isa: nil)
                == [0x3C00, 0x7BFF, 0x7BFF, 0x7C00, 0x0001, 0x0000, 0x0002, 0x3C00, 0x3C02])
        let bf: [Float] = [1, 1 + 0x1p-8, 1 + 3 * 0x1p-8, -2, .infinity, Float(bitPattern: 0x7F80_0001)]
        #expect(Self.converted(bf, .bfloat16, isa: nil) == [0x3F80, 0x3F80, 0x3F82, 0xC000, 0x7F80, 0x7FC0])
    }

    @Test("F16/BF16 KV write: every ISA gives the reference's bits", arguments: [KVCacheDType.float16, .bfloat16])
    func conversionMatchesReference(dtype: KVCacheDType) {
        var rng = SeededRandom(seed: 31)
        // 16-lane bodies and tails: random magnitudes from 2^-30 to 2^20, then the edge values
        var values = (0..<203).map { _ in rng.nextSigned() * Float(exp2(Double(rng.next() % 50) - 30)) }
        values += Self.edgeValues
        let expected = Self.converted(values, dtype, isa: nil)
        for isa in testedISAs {
            #expect(Self.converted(values, dtype, isa: isa) == expected, "\(isa) \(dtype)")
        }
    }

    /// `count` floats stored as `dtype` (the reference conversion).
    static func cacheBytes(_ values: [Float], _ dtype: KVCacheDType) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: values.count * dtype.byteCount)
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { Kernels.storeKVReference(values, count: values.count, dtype: dtype, into: base) }
        }
        return bytes
    }

    func attention(dtype: KVCacheDType, numHeads: Int, numKVHeads: Int, headDim: Int, blockSize: Int, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let maxBlocksPerSeq = (33 + blockSize - 1) / blockSize
        let numBlocks = 3 * maxBlocksPerSeq
        var ids = Array(0..<numBlocks)  // scattered block ids
        for i in stride(from: numBlocks - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        let tables = ids.map { Int32($0) }
        // prefill of sequence 0, a decode of 1, a chunk of 2
        var tokens: [(Int32, Int32)] = (0..<5).map { (0, Int32($0)) }
        tokens.append((1, 16))
        tokens += (20..<33).map { (2, Int32($0)) }
        let cacheCount = numBlocks * blockSize * numKVHeads * headDim
        let k = Self.cacheBytes(rng.floats(cacheCount, scale: 2), dtype)
        let v = Self.cacheBytes(rng.floats(cacheCount), dtype)
        let rowFloats = numHeads * headDim
        let q = rng.floats(tokens.count * rowFloats, scale: 2)
        let scale = Float(1 / Double(headDim).squareRoot())
        func attend(_ batch: [Int], pool: WorkerPool, isa: KernelISA?) -> [Float] {
            var bq: [Float] = []
            for t in batch { bq += q[t * rowFloats..<(t + 1) * rowFloats] }
            var out = [Float](repeating: .nan, count: bq.count)
            let seqs = batch.map { tokens[$0].0 }, positions = batch.map { tokens[$0].1 }
            k.withUnsafeBytes { kRaw in
                v.withUnsafeBytes { vRaw in
                    guard let kb = kRaw.baseAddress, let vb = vRaw.baseAddress else { return }
                    if let isa {
                        Kernels.pagedAttention(q: bq, numTokens: batch.count, numHeads: numHeads, numKVHeads: numKVHeads,
                                               headDim: headDim, kCache: kb, vCache: vb, kvDType: dtype,
                                               blockSize: blockSize, blockTables: tables, maxBlocksPerSeq: maxBlocksPerSeq,
                                               tokenSeq: seqs, tokenPos: positions, scale: scale, out: &out,
                                               pool: pool, isa: isa)
                    } else {
                        Kernels.pagedAttentionReference(q: bq, numTokens: batch.count, numHeads: numHeads,
                                                        numKVHeads: numKVHeads, headDim: headDim, kCache: kb,
                                                        vCache: vb, kvDType: dtype, blockSize: blockSize,
                                                        blockTables: tables, maxBlocksPerSeq: maxBlocksPerSeq,
                                                        tokenSeq: seqs, tokenPos: positions, scale: scale, out: &out)
                    }
                }
            }
            return out
        }
        let all = Array(tokens.indices)
        let expected = attend(all, pool: MatmulTests.pool1, isa: nil)
        // The error bound of AttentionTests: the reference reads the same (widened) elements.
        let d = Double(headDim)
        let bound = 2 * d * d * floatUnitRoundoff * 4 * Double(scale) + (33.0 + 16) * floatUnitRoundoff
        for isa in testedISAs {
            let one = attend(all, pool: MatmulTests.pool1, isa: isa), two = attend(all, pool: MatmulTests.pool2, isa: isa)
            let worst = zip(one, expected).map { abs(Double($0) - Double($1)) }.max() ?? .nan
            #expect(worst <= bound, "\(isa) \(dtype) head dim \(headDim): \(worst) > \(bound)")
            #expect(one.map(\.bitPattern) == two.map(\.bitPattern), "\(isa) \(dtype): 1 vs 2 threads")
            // batch invariance: each token alone gives its bits in the full batch
            for t in [0, 4, 5, 6, 18] {
                let alone = attend([t], pool: MatmulTests.pool1, isa: isa)
                #expect(alone.map(\.bitPattern) == one[t * rowFloats..<(t + 1) * rowFloats].map(\.bitPattern),
                        "\(isa) \(dtype) token \(t) alone vs batched")
            }
        }
    }

    @Test("F16/BF16/FP8 attention: GQA 9 heads on 3 KV heads, head dim 64", arguments: [KVCacheDType.float16, .bfloat16, .fp8E4M3, .fp8E5M2])
    func gqa(dtype: KVCacheDType) {
        attention(dtype: dtype, numHeads: 9, numKVHeads: 3, headDim: 64, blockSize: 16, seed: 41)
    }

    /// One KV head per query head (groups of one row), alone and tiled with other tokens.
    @Test("F16/BF16/FP8 attention: no GQA, head dim 32", arguments: [KVCacheDType.float16, .bfloat16, .fp8E4M3, .fp8E5M2])
    func noGrouping(dtype: KVCacheDType) {
        attention(dtype: dtype, numHeads: 2, numKVHeads: 2, headDim: 32, blockSize: 16, seed: 43)
    }

    @Test("F16/BF16/FP8 attention: head dim 40 (generic paths), block size 4", arguments: [KVCacheDType.float16, .bfloat16, .fp8E4M3, .fp8E5M2])
    func genericHeadDim(dtype: KVCacheDType) {
        attention(dtype: dtype, numHeads: 4, numKVHeads: 2, headDim: 40, blockSize: 4, seed: 42)
    }

    @Test("--kv-cache-dtype values and element sizes")
    func flagParsing() {
        #expect(KVCacheDType(flag: "auto") == .float16)
        #expect(KVCacheDType(flag: "bf16") == .bfloat16)
        #expect(KVCacheDType(flag: "FLOAT32") == .float32)
        #expect(KVCacheDType(flag: "fp8") == .fp8E4M3 && KVCacheDType(flag: "fp8_e4m3") == .fp8E4M3)
        #expect(KVCacheDType(flag: "fp8_e5m2") == .fp8E5M2 && KVCacheDType(flag: "fp8_e3m4") == nil)
        #expect(KVCacheDType.allCases.map(\.byteCount) == [4, 2, 2, 1, 1])
        // vLLM's spellings in the startup line and JSON output
        #expect(KVCacheDType.allCases.map(\.rawValue) == ["float32", "float16", "bfloat16", "fp8_e4m3", "fp8_e5m2"])
    }

    static func converted8(_ values: [Float], _ dtype: KVCacheDType, isa: KernelISA?) -> [UInt8] {
        stored(values, dtype, isa: isa, as: UInt8.self)
    }

    /// Round to nearest even at the 3 (E4M3) or 2 (E5M2) mantissa bits, subnormal ties, saturation
    /// at 448 / 57,344 (E4M3 has no infinity), NaN.
    @Test("FP8 KV write: exact codes of edge values")
    func fp8PinnedCodes() {
        let e4m3: [Float] = [1, 1.0625, 1.1875, 448, 464, 1000, -1000, .infinity, .nan, 0x1p-9, 0x1p-10, 3 * 0x1p-10, -0.0, 0x1p-6]
        let e4m3Codes: [UInt8] = [0x38, 0x38, 0x3A, 0x7E, 0x7E, 0x7E, 0xFE, 0x7E, 0x7F, 0x01, 0x00, 0x02, 0x80, 0x08]
        let e5m2: [Float] = [1, 1.125, 1.375, 57344, 60000, .infinity, -.infinity, .nan, 0x1p-16, 0x1p-17, 0x1p-14]
        let e5m2Codes: [UInt8] = [0x3C, 0x3C, 0x3E, 0x7B, 0x7B, 0x7C, 0xFC, 0x7E, 0x01, 0x00, 0x04]
        #expect(Self.converted8(e4m3, .fp8E4M3, isa: nil) == e4m3Codes)
        #expect(Self.converted8(e5m2, .fp8E5M2, isa: nil) == e5m2Codes)
        for isa in testedISAs {
            #expect(Self.converted8(e4m3, .fp8E4M3, isa: isa) == e4m3Codes, "\(isa)")
            #expect(Self.converted8(e5m2, .fp8E5M2, isa: isa) == e5m2Codes, "\(isa)")
        }
    }

    @Test("FP8 KV write: every ISA gives the reference's codes", arguments: [KVCacheDType.fp8E4M3, .fp8E5M2])
    func fp8ConversionMatchesReference(dtype: KVCacheDType) {
        var rng = SeededRandom(seed: 37)
        // magnitudes from 2^-20 to 2^17: subnormals, normals, saturation
        var values = (0..<301).map { _ in rng.nextSigned() * Float(exp2(Double(rng.next() % 38) - 20)) }
        values += Self.edgeValues
        // every code's value and the midpoints between neighbours (ties to even)
        let codes = (0...255).map { Kernels.fp8Value(UInt8($0), dtype) }.filter(\.isFinite)
        values += codes + zip(codes.dropLast(), codes.dropFirst()).map { ($0 + $1) / 2 }
        let expected = Self.converted8(values, dtype, isa: nil)
        for isa in testedISAs {
            #expect(Self.converted8(values, dtype, isa: isa) == expected, "\(isa) \(dtype)")
        }
        // finite codes read back to themselves
        #expect(Self.converted8(codes, dtype, isa: nil).map { Kernels.fp8Value($0, dtype) } == codes)
    }

    /// Every one of the 256 codes read by attention, exactly: one key, so the output row is the
    /// value row widened (weight 1), on the scalar path and every SIMD one.
    @Test("FP8 attention reads every code exactly", arguments: [KVCacheDType.fp8E4M3, .fp8E5M2])
    func fp8EveryCodeWidensExactly(dtype: KVCacheDType) {
        let headDim = 256
        let k = [UInt8](repeating: 0x30, count: headDim * 16), v = (0..<headDim * 16).map { UInt8($0 % 256) }
        let q = [Float](repeating: 0.5, count: headDim)
        let expected = (0..<headDim).map { Kernels.fp8Value(UInt8($0), dtype) }
        for isa in [KernelISA.scalar] + testedISAs {
            var out = [Float](repeating: 0, count: headDim)
            k.withUnsafeBytes { kRaw in
                v.withUnsafeBytes { vRaw in
                    guard let kb = kRaw.baseAddress, let vb = vRaw.baseAddress else { return }
                    Kernels.pagedAttention(q: q, numTokens: 1, numHeads: 1, numKVHeads: 1, headDim: headDim, kCache: kb,
                                           vCache: vb, kvDType: dtype, blockSize: 16, blockTables: [0], maxBlocksPerSeq: 1,
                                           tokenSeq: [0], tokenPos: [0], scale: 1, out: &out, pool: MatmulTests.pool1, isa: isa)
                }
            }
            let same = zip(out, expected).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
            #expect(same, "\(isa) \(dtype)")
        }
    }
}
