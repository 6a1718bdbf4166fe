import Foundation
import Testing
@_spi(Testing) import Kernels

/// Exact bits per instruction set, pinned: each case of Fixtures/kernel_output_hashes.txt (batched
/// matmul of every weight type with the fused decode dots, packed Q8_0 / Q4_0 / Q4_1, dequantization, the KV
/// write, paged attention over F32/F16/BF16 caches with GQA, RMS norm and the gates) runs on
/// fixed seeded inputs, and the FNV-1a hash of its output bytes must be the one pinned for the
/// instruction set. A change to any kernel's arithmetic (an FMA split into multiply and add, a
/// reordered sum) changes some hash; a deliberate one updates the fixture with
/// scripts/check-avx512-emulated --update, which computes the same cases in C
/// (Tests/kernel-emulation/kernel_cases.c draws the same inputs).
///
/// Scalar and AVX2 are checked wherever the CPU runs them (x86-64 only: on arm64 the compiler
/// fuses the scalar path's multiply-adds). The AVX-512 hashes come from the AVX-512 sources run
/// under emulation (scripts/check-avx512-emulated checks them on every machine); on a CPU with
/// AVX-512 this test compares its own outputs with them as a known issue, reported but not
/// failing, until real hardware has confirmed that the emulation gives its bits.
struct KernelOutputHashTests {
    struct Case: CustomStringConvertible {
        var kind: String, params: [String: String], hashes: [String: UInt64], description: String
        func int(_ key: String) -> Int { Int(params[key] ?? "") ?? 0 }
        var seed: UInt64 { UInt64(params["seed"] ?? "") ?? 0 }
    }

    static let fixture = repoRoot.appendingPathComponent("Tests/KernelsTests/Fixtures/kernel_output_hashes.txt")

    static func cases() throws -> [Case] {
        try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard let kind = fields.first, !kind.hasPrefix("#") else { return nil }
            var c = Case(kind: kind, params: [:], hashes: [:], description: kind)
            for field in fields.dropFirst() {
                let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
                guard pair.count == 2 else { continue }
                if KernelISA(rawValue: pair[0]) != nil {
                    c.hashes[pair[0]] = UInt64(pair[1], radix: 16)
                } else {
                    c.params[pair[0]] = pair[1]
                    c.description += " " + field
                }
            }
            return c
        }
    }

    static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        bytes.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    static func hash<T>(_ values: [T]) -> UInt64 { values.withUnsafeBytes { fnv1a($0) } }

    static func weightType(_ c: Case) -> WeightType { WeightType(rawValue: c.params["type"] ?? "") ?? .f32 }

    static func kvType(_ c: Case) -> KVCacheDType {
        switch c.params["type"] {
        case "f16": .float16
        case "bf16": .bfloat16
        case "fp8_e4m3": .fp8E4M3
        case "fp8_e5m2": .fp8E5M2
        default: .float32
        }
    }

    /// The hash of the case's outputs on `isa`, inputs drawn as kernel_cases.c draws them.
    static func outputHash(_ c: Case, isa: KernelISA) -> UInt64 {
        var rng = SeededRandom(seed: c.seed)
        let pool = MatmulTests.pool2
        switch c.kind {
        case "matmul", "packed":
            let type = c.kind == "packed" && c.params["type"] == nil ? WeightType.q8_0 : weightType(c)
            let rows = c.int("rows"), cols = c.int("cols"), tokens = c.int("tokens")
            let bytes = randomWeightBytes(type, rows: rows, cols: cols, rng: &rng)
            let x = rng.floats(tokens * cols, scale: c.kind == "packed" ? 3 : 1)
            var y = [Float](repeating: .nan, count: tokens * rows)
            bytes.withUnsafeBytes { raw in
                let plain = WeightMatrix(type: type, rows: rows, cols: cols, data: raw.baseAddress!)
                let w = c.kind == "packed" ? plain.packedForMatmul() : plain
                Kernels.matmul(w, x: x, numTokens: tokens, y: &y, pool: pool, isa: isa)
            }
            return hash(y)
        case "dequant":
            let type = weightType(c), count = c.int("count")
            let bytes = randomWeightBytes(type, rows: 1, cols: count, rng: &rng)
            var out = [Float](repeating: .nan, count: count)
            bytes.withUnsafeBytes { raw in
                let w = WeightMatrix(type: type, rows: 1, cols: count, data: raw.baseAddress!)
                out.withUnsafeMutableBufferPointer { Kernels.dequantizeRow(w, row: 0, into: $0.baseAddress!, isa: isa) }
            }
            return hash(out)
        case "kvstore":
            // every third value any bit pattern (every ninth with the exponent all ones: NaNs and
            // infinities), the others magnitudes 2^-26 ..< 2^18
            let values = (0..<c.int("count")).map { i -> Float in
                if i % 3 == 0 {
                    let bits = UInt32(truncatingIfNeeded: rng.next())
                    return Float(bitPattern: i % 9 == 0 ? bits | 0x7F80_0000 : bits)
                }
                let a = rng.nextSigned()
                return a * Float(bitPattern: UInt32(101 + rng.next() % 44) << 23)
            }
            return hash(store(values, kvType(c), isa: isa))
        case "attention":
            return hash(attention(c, rng: &rng, pool: pool, isa: isa))
        case "rmsnorm":
            let tokens = c.int("tokens"), dim = c.int("dim")
            let x = rng.floats(tokens * dim, scale: 3), weight = rng.floats(dim)
            var out = [Float](repeating: .nan, count: x.count)
            Kernels.rmsNorm(x: x, weight: weight, eps: 1e-5, numTokens: tokens, dim: dim, out: &out, isa: isa)
            return hash(out)
        case "rope":
            // heads of tokens at positions below 8192, frequencies |u| for u uniform in [-1, 1)
            let tokens = c.int("tokens"), heads = c.int("heads"), dim = c.int("dim")
            var x = rng.floats(tokens * heads * dim, scale: 2)
            let positions = (0..<tokens).map { _ in Int32(rng.next() % 8192) }
            let invFreq = rng.floats(dim / 2).map { abs($0) }
            Kernels.rope(&x, numTokens: tokens, numHeads: heads, headDim: dim, positions: positions, invFreq: invFreq,
                         pairing: c.int("pairing") == 0 ? .adjacent : .halves, isa: isa)
            return hash(x)
        default:  // activations: silu(x) y, gelu_tanh(x) y, x + y
            let count = c.int("count")
            let x = rng.floats(count, scale: 6), y = rng.floats(count)
            var silu = [Float](repeating: .nan, count: count), gelu = silu, sum = x
            Kernels.siluMul(gate: x, up: y, count: count, out: &silu, isa: isa)
            Kernels.geluTanhMul(gate: x, up: y, count: count, out: &gelu, isa: isa)
            Kernels.add(&sum, y, count: count, isa: isa)
            return hash(silu + gelu + sum)
        }
    }

    /// Values written as KV elements of `dtype` on `isa` (raw floats for float32).
    static func store(_ values: [Float], _ dtype: KVCacheDType, isa: KernelISA) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * dtype.byteCount)
        out.withUnsafeMutableBytes { Kernels.storeKV(values, count: values.count, dtype: dtype, into: $0.baseAddress!, isa: isa) }
        return out
    }

    /// Sequences of 5, 17 and 33 keys on shuffled blocks; all of sequence 0 (prefill), the last
    /// token of 1 (decode) and positions 20..<33 of 2 (a chunk).
    static func attention(_ c: Case, rng: inout SeededRandom, pool: WorkerPool, isa: KernelISA) -> [Float] {
        let heads = c.int("heads"), kvHeads = c.int("kvheads"), dim = c.int("dim"), block = c.int("block")
        let maxBlocks = (33 + block - 1) / block, numBlocks = maxBlocks * 3 + 3
        var ids = Array(0..<numBlocks)
        for i in stride(from: numBlocks - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var tables = [Int32](repeating: -1, count: 3 * maxBlocks), next = 0
        for (s, length) in [5, 17, 33].enumerated() {
            for b in 0..<((length + block - 1) / block) { tables[s * maxBlocks + b] = Int32(ids[next]); next += 1 }
        }
        let seqs: [Int32] = Array(repeating: 0, count: 5) + [1] + Array(repeating: 2, count: 13)
        let positions: [Int32] = Array(0..<5) + [16] + Array(20..<33)
        let cacheCount = numBlocks * block * kvHeads * dim
        let dtype = kvType(c)
        let k = store(rng.floats(cacheCount, scale: 2), dtype, isa: .scalar)
        let v = store(rng.floats(cacheCount), dtype, isa: .scalar)
        let q = rng.floats(seqs.count * heads * dim, scale: 2)
        var out = [Float](repeating: .nan, count: q.count)
        k.withUnsafeBytes { kRaw in
            v.withUnsafeBytes { vRaw in
                Kernels.pagedAttention(q: q, numTokens: seqs.count, numHeads: heads, numKVHeads: kvHeads, headDim: dim,
                                       kCache: kRaw.baseAddress!, vCache: vRaw.baseAddress!, kvDType: dtype,
                                       blockSize: block, blockTables: tables, maxBlocksPerSeq: maxBlocks,
                                       tokenSeq: seqs, tokenPos: positions, scale: Float(1 / Double(dim).squareRoot()),
                                       slidingWindow: c.int("window"), out: &out, pool: pool, isa: isa)
            }
        }
        return out
    }

    @Test("Kernel outputs have the pinned hashes on every instruction set the CPU runs",
          arguments: ["matmul", "packed", "dequant", "kvstore", "attention", "rmsnorm", "rope", "activations"])
    func pinnedHashes(kind: String) throws {
        #if arch(x86_64)
        let cases = try Self.cases().filter { $0.kind == kind }
        #expect(!cases.isEmpty)
        var emulatedMismatches: [String] = []
        for c in cases {
            for isa in [KernelISA.scalar, .avx2] where isa.isSupported {
                let got = Self.outputHash(c, isa: isa)
                #expect(got == c.hashes[isa.rawValue], "\(isa.rawValue) \(c): hash \(String(got, radix: 16))")
            }
            if KernelISA.avx512.isSupported, Self.outputHash(c, isa: .avx512) != c.hashes["avx512"] {
                emulatedMismatches.append(c.description)
            }
        }
        if KernelISA.avx512.isSupported {
            withKnownIssue("AVX-512 hashes are pinned from emu512.h, not yet confirmed on hardware", isIntermittent: true) {
                #expect(emulatedMismatches.isEmpty, "AVX-512 differs from its emulation: \(emulatedMismatches)")
            }
        }
        #elseif arch(arm64)
        // NEON gives the scalar bits, and the scalar code x86-64's (contraction is off in the C
        // kernels); rotary angles come from the C library's cosf / sinf, pinned from glibc's
        let cases = try Self.cases().filter { $0.kind == kind }
        for c in cases {
            let scalar = Self.outputHash(c, isa: .scalar), neon = Self.outputHash(c, isa: .neon)
            #expect(neon == scalar, "neon \(c): hash \(String(neon, radix: 16)), scalar \(String(scalar, radix: 16))")
            #if os(Linux)
            #expect(scalar == c.hashes["scalar"], "scalar \(c): hash \(String(scalar, radix: 16))")
            #else
            if kind != "rope" { #expect(scalar == c.hashes["scalar"], "scalar \(c): hash \(String(scalar, radix: 16))") }
            #endif
        }
        #endif
    }
}
