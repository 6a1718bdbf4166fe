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

    @Test("siluMul, geluTanhMul and add match the reference", arguments: [1, 15, 1536])
    func siluMulAndAdd(count: Int) {
        var rng = SeededRandom(seed: 0x5111 + UInt64(count))
        let gate = rng.floats(count, scale: 20), up = rng.floats(count)
        var expected = [Float](repeating: 0, count: count)
        Kernels.siluMulReference(gate: gate, up: up, count: count, out: &expected)
        var sum = gate
        Kernels.addReference(&sum, up, count: count)
        let gate6 = gate.map { $0 * 0.3 }  // [-6, 6]: both tails of GELU and the curved middle
        var expectedGelu = [Float](repeating: 0, count: count)
        Kernels.geluTanhMulReference(gate: gate6, up: up, count: count, out: &expectedGelu)
        for isa in testedISAs {
            var got = [Float](repeating: 0, count: count)
            Kernels.siluMul(gate: gate, up: up, count: count, out: &got, isa: isa)
            // exp to about 2 ulp, then 1 + e, divide, multiply: relative error <= 16u.
            let ratio = worstRatio(got, expected) { 16 * floatUnitRoundoff * abs(Double(expected[$0])) }
            #expect(ratio <= 1, "\(isa) silu: \(ratio)")
            var gelu = [Float](repeating: 0, count: count)
            Kernels.geluTanhMul(gate: gate6, up: up, count: count, out: &gelu, isa: isa)
            // The argument z carries about 4 roundings (|dz| <= 4u|z|, z up to ~7 here); the
            // sigmoid form g / (1 + e^(-2z)) turns dz into a relative error <= 2|dz|, and exp,
            // add, divide and multiply add about 16u: |err| <= (16 + 8|z|) u |out|.
            let geluRatio = worstRatio(gelu, expectedGelu) { i in
                let g = Double(gate6[i]), z = abs(0.7978845608 * (g + 0.044715 * g * g * g))
                return (16 + 8 * z) * floatUnitRoundoff * abs(Double(expectedGelu[i]))
            }
            #expect(geluRatio <= 1, "\(isa) gelu: \(geluRatio)")
            var added = gate
            Kernels.add(&added, up, count: count, isa: isa)
            #expect(added == sum, "\(isa) add")  // one rounding each: exact equality
        }
    }

    @Test("Known activation values: silu(1), gelu_tanh(1), gelu_tanh(-3), zero")
    func knownValues() {
        // silu(1) = 1/(1+e^-1) = 0.7310585786; gelu_tanh(1) = 0.8411919906;
        // gelu_tanh(-3) = -0.0036373920 (values from the closed forms in float64)
        let gate: [Float] = [1, 1, -3, 0], up: [Float] = [1, 1, 1, 1]
        for isa in testedISAs {
            var silu = [Float](repeating: .nan, count: 4), gelu = [Float](repeating: .nan, count: 4)
            Kernels.siluMul(gate: gate, up: up, count: 4, out: &silu, isa: isa)
            Kernels.geluTanhMul(gate: gate, up: up, count: 4, out: &gelu, isa: isa)
            #expect(abs(silu[0] - 0.7310585786) <= 2 * Float(0.7310585786).ulp, "\(isa) silu(1) = \(silu[0])")
            #expect(abs(gelu[1] - 0.8411919906) <= 2 * Float(0.8411919906).ulp, "\(isa) gelu(1) = \(gelu[1])")
            #expect(abs(gelu[2] + 0.0036373920) <= 1e-8, "\(isa) gelu(-3) = \(gelu[2])")
            #expect(silu[3] == 0 && gelu[3] == 0, "\(isa)")
        }
    }
}
