import Testing
@testable import Kernels

/// The peak-rate probes compute closed forms, so their work cannot be optimized away and each
/// instruction-set path is pinned against its scalar twin.
@Suite struct PeakRateTests {
    /// Each path's register layout (12 FMA chains; 12 vpdpbusd or 6 AVX2 int8 chains).
    @Test func shapesPerInstructionSet() {
        for isa in KernelISA.available {
            let fma = Kernels.peakFMAShape(isa: isa), dot = Kernels.peakDotInt8Shape(isa: isa)
            switch isa {
            case .avx512:
                #expect(fma == PeakProbeShape(accumulators: 12, lanes: 16))
                #expect(dot == (Kernels.hasAVX512VNNI ? PeakProbeShape(accumulators: 12, lanes: 16)
                                                      : PeakProbeShape(accumulators: 6, lanes: 8)))
            case .avx2:
                #expect(fma == PeakProbeShape(accumulators: 12, lanes: 8))
                #expect(dot == PeakProbeShape(accumulators: 6, lanes: 8))
            case .scalar, .neon:
                #expect(fma == PeakProbeShape(accumulators: 12, lanes: 4))
                #expect(dot == PeakProbeShape(accumulators: 12, lanes: 4))
            }
        }
    }

    /// acc_k = 1 + k + 0.5 * 100 after 100 steps of acc * 1 + 0.5: the lanes sum to
    /// lanes * sum_k (51 + k) = 678 * lanes, on every path, equal to the scalar twin.
    @Test func fmaProbeSumsToItsClosedForm() {
        for isa in KernelISA.available {
            let shape = Kernels.peakFMAShape(isa: isa)
            let result = Kernels.peakFMA(iterations: 100, start: 1, multiplier: 1, addend: 0.5, isa: isa)
            #expect(result == Float(678 * shape.lanes), "\(isa)")
            #expect(result == Kernels.peakFMAReference(iterations: 100, start: 1, multiplier: 1, addend: 0.5, shape: shape))
            #expect(Kernels.peakFMA(iterations: 0, start: 2, multiplier: 1, addend: 0.5, isa: isa)
                    == Float(shape.lanes * (2 * 12 + 66)))
        }
    }

    /// Each int32 lane of accumulator k adds 4 * 3 * -2 per step: k - 2400 after 100 steps.
    @Test func dotProbeSumsToItsClosedForm() {
        for isa in KernelISA.available {
            let shape = Kernels.peakDotInt8Shape(isa: isa)
            let result = Kernels.peakDotInt8(iterations: 100, a: 3, b: -2, isa: isa)
            let chains = Int64(shape.accumulators)
            let expected = Int64(shape.lanes) * (chains * (chains - 1) / 2 - 2400 * chains)
            #expect(result == expected, "\(isa)")
            #expect(result == Kernels.peakDotInt8Reference(iterations: 100, a: 3, b: -2, shape: shape))
            if shape.accumulators == 12 { #expect(result == Int64(shape.lanes) * -28_734) }
            // Largest unsaturated AVX2 pair sum: 2 * 255 * 64 = 32640.
            #expect(Kernels.peakDotInt8(iterations: 7, a: 255, b: 64, isa: isa)
                    == Kernels.peakDotInt8Reference(iterations: 7, a: 255, b: 64, shape: shape))
        }
    }
}
