import CKernels

/// The register layout of a peak-rate probe: `accumulators` independent vectors of `lanes`
/// elements each.
public struct PeakProbeShape: Sendable, Equatable {
    /// Independent dependency chains.
    public let accumulators: Int
    /// Elements per accumulator (floats or int32).
    public let lanes: Int

    /// Every lane of every accumulator.
    public var numLanes: Int { accumulators * lanes }
}

extension Kernels {
    /// Whether the CPU runs AVX-512 VNNI (`vpdpbusd` on 512-bit registers).
    public static let hasAVX512VNNI: Bool = sw_has_avx512_vnni() != 0

    /// Layout of `peakFMA` on `isa`.
    public static func peakFMAShape(isa: KernelISA = .current) -> PeakProbeShape {
        var accumulators: Int32 = 0, lanes: Int32 = 0
        sw_peak_fma_shape(isa.clamped.cValue, &accumulators, &lanes)
        return PeakProbeShape(accumulators: Int(accumulators), lanes: Int(lanes))
    }

    /// Float multiply-add throughput probe (no memory traffic): every lane of accumulator k
    /// starts at `start + k` and is updated `iterations` times as acc = acc * multiplier +
    /// addend (an FMA on AVX2/AVX-512); returns the sum of all lanes. Floating-point
    /// operations: 2 * shape.numLanes per iteration.
    public static func peakFMA(iterations: Int, start: Float, multiplier: Float, addend: Float,
                               isa: KernelISA = .current) -> Float {
        sw_peak_fma(isa.clamped.cValue, Int64(max(0, iterations)), start, multiplier, addend)
    }

    /// Scalar twin of `peakFMA` for `shape`: the same chains in plain Swift, multiply then add.
    public static func peakFMAReference(iterations: Int, start: Float, multiplier: Float, addend: Float,
                                        shape: PeakProbeShape) -> Float {
        var total: Float = 0
        for k in 0..<shape.accumulators {
            var acc = start + Float(k)
            for _ in 0..<max(0, iterations) { acc = acc * multiplier + addend }
            for _ in 0..<shape.lanes { total += acc }
        }
        return total
    }

    /// Whether `peakDotInt8` on `isa` runs `vpdpbusd` (AVX-512 with VNNI).
    public static func peakDotInt8UsesVNNI(isa: KernelISA = .current) -> Bool {
        isa.clamped == .avx512 && hasAVX512VNNI
    }

    /// Layout of `peakDotInt8` on `isa`.
    public static func peakDotInt8Shape(isa: KernelISA = .current) -> PeakProbeShape {
        var accumulators: Int32 = 0, lanes: Int32 = 0
        sw_peak_dot_i8_shape(isa.clamped.cValue, peakDotInt8UsesVNNI(isa: isa) ? 1 : 0, &accumulators, &lanes)
        return PeakProbeShape(accumulators: Int(accumulators), lanes: Int(lanes))
    }

    /// Int8 dot-product throughput probe (no memory traffic): every int32 lane of accumulator k
    /// starts at k and adds the dot product of four unsigned bytes `a` with four signed bytes
    /// `b` per iteration (`vpdpbusd` with VNNI; `vpmaddubsw` + `vpmaddwd` + `vpaddd` on AVX2,
    /// whose 16-bit pair sums saturate when 2ab leaves Int16; plain loops else); returns the sum
    /// of all lanes. Integer operations: 8 * shape.numLanes per iteration (4 multiply-adds).
    public static func peakDotInt8(iterations: Int, a: UInt8, b: Int8, isa: KernelISA = .current) -> Int64 {
        let clamped = isa.clamped
        return sw_peak_dot_i8(clamped.cValue, peakDotInt8UsesVNNI(isa: clamped) ? 1 : 0,
                              Int64(max(0, iterations)), a, b)
    }

    /// Scalar twin of `peakDotInt8` for `shape` (int32 lanes wrap as the C kernels' do).
    public static func peakDotInt8Reference(iterations: Int, a: UInt8, b: Int8, shape: PeakProbeShape) -> Int64 {
        let dot = 4 * Int32(a) * Int32(b)
        var total: Int64 = 0
        for k in 0..<shape.accumulators {
            var acc = Int32(k)
            for _ in 0..<max(0, iterations) { acc &+= dot }
            total += Int64(acc) * Int64(shape.lanes)
        }
        return total
    }
}
