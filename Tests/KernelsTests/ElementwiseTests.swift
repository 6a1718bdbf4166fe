import Foundation
import Testing
@_spi(Testing) import Kernels

/// rmsNorm, rope, siluMul and add on every ISA against their Double reference twins.
struct ElementwiseTests {
    /// Largest |got - expected| / bound(i) over all elements (<= 1 passes).
    func worstRatio(_ got: [Float], _ expected: [Float], bound: (Int) -> Double) -> Double {
        var worst = 0.0
        for i in got.indices {
            worst = max(worst, abs(Double(got[i]) - Double(expected[i])) / (bound(i) + 1e-37))
        }
        return worst
    }

    @Test("rmsNorm matches the reference", arguments: [1, 3, 17])
    func rmsNorm(numTokens: Int) {
        var rng = SeededRandom(seed: 0x4A5 + UInt64(numTokens))
        for dim in [64, 576, 1001] {
            let x = rng.floats(numTokens * dim, scale: 3), weight = rng.floats(dim)
            var expected = [Float](repeating: 0, count: x.count)
            Kernels.rmsNormReference(x: x, weight: weight, eps: 1e-5, numTokens: numTokens, dim: dim, out: &expected)
            for isa in testedISAs {
                var got = x  // in place (x and out alias)
                got.withUnsafeMutableBufferPointer { p in
                    Kernels.rmsNorm(x: p.baseAddress!, weight: weight, eps: 1e-5, numTokens: numTokens, dim: dim,
                                    out: p.baseAddress!, isa: isa)
                }
                // Sum of dim positive Float terms: relative error <= dim u; sqrt, divide and the two
                // products add a few u more (u = 2^-24): |err| <= (dim + 8) u |out|.
                let ratio = worstRatio(got, expected) { Double(dim + 8) * floatUnitRoundoff * abs(Double(expected[$0])) }
                #expect(ratio <= 1, "\(isa) dim \(dim): \(ratio)")
            }
        }
    }

    @Test("rope matches the reference for both pairings", arguments: [Kernels.RopePairing.adjacent, .halves])
    func rope(pairing: Kernels.RopePairing) {
        var rng = SeededRandom(seed: pairing == .adjacent ? 11 : 12)
        for headDim in [64, 1026] {  // 1026: more pairs than one batch of 256 angles
            ropeCase(pairing: pairing, headDim: headDim, rng: &rng)
        }
    }

    func ropeCase(pairing: Kernels.RopePairing, headDim: Int, rng: inout SeededRandom) {
        let numTokens = 17, numHeads = 3
        let x = rng.floats(numTokens * numHeads * headDim)
        let positions: [Int32] = (0..<numTokens).map { Int32($0 * 37 % 500) }
        let invFreq: [Float] = (0..<headDim / 2).map { i -> Float in Float(pow(10000.0, -2.0 * Double(i) / Double(headDim))) }
        var expected = x
        Kernels.ropeReference(&expected, numTokens: numTokens, numHeads: numHeads, headDim: headDim,
                              positions: positions, invFreq: invFreq, pairing: pairing)
        for isa in testedISAs {
            var got = x
            Kernels.rope(&got, numTokens: numTokens, numHeads: numHeads, headDim: headDim, positions: positions,
                         invFreq: invFreq, pairing: pairing, isa: isa)
            // Float cos/sin are within 1 ulp; a*c - b*s then adds 2 roundings: 4u (|a| + |b|)
            // bounds the error for |a|, |b| <= 1.
            let ratio = worstRatio(got, expected) { _ in 8 * floatUnitRoundoff }
            #expect(ratio <= 1, "\(isa) \(pairing): \(ratio)")
        }
        // Position 0 is the identity.
        var zero = Array(x[0..<headDim])
        Kernels.rope(&zero, numTokens: 1, numHeads: 1, headDim: headDim, positions: [0], invFreq: invFreq, pairing: pairing)
        #expect(zero == Array(x[0..<headDim]))
    }

    @Test("siluMul and add match the reference", arguments: [1, 15, 1536])
    func siluMulAndAdd(count: Int) {
        var rng = SeededRandom(seed: 0x5111 + UInt64(count))
        let gate = rng.floats(count, scale: 20), up = rng.floats(count)
        var expected = [Float](repeating: 0, count: count)
        Kernels.siluMulReference(gate: gate, up: up, count: count, out: &expected)
        var sum = gate
        Kernels.addReference(&sum, up, count: count)
        for isa in testedISAs {
            var got = [Float](repeating: 0, count: count)
            Kernels.siluMul(gate: gate, up: up, count: count, out: &got, isa: isa)
            // exp to about 2 ulp, then 1 + e, divide, multiply: relative error <= 16u.
            let ratio = worstRatio(got, expected) { 16 * floatUnitRoundoff * abs(Double(expected[$0])) }
            #expect(ratio <= 1, "\(isa) silu: \(ratio)")
            var added = gate
            Kernels.add(&added, up, count: count, isa: isa)
            #expect(added == sum, "\(isa) add")  // one rounding each: exact equality
        }
    }
}
