import ModelFormats

/// Seeded SplitMix64, so every test model is the same on every run.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-scale, scale).
    mutating func uniform(_ scale: Float) -> Float {
        Float(Double(next() >> 11) / Double(1 << 53) * 2 - 1) * scale
    }
}

/// Test-only GGML quantizers (round to nearest) for building small quantized models.
enum TestQuantizer {
    static func appendHalf(_ value: Float, to bytes: inout [UInt8]) {
        let bits = Float16(value).bitPattern
        bytes.append(UInt8(bits & 0xFF))
        bytes.append(UInt8(bits >> 8))
    }

    /// Bytes of `values` (a whole number of rows of `cols`) stored as `type` (F32, Q8_0, Q4_1).
    static func encode(_ values: [Float], as type: GGMLType) -> [UInt8] {
        var bytes: [UInt8] = []
        switch type {
        case .q8_0:
            for block in stride(from: 0, to: values.count, by: 32) {
                let chunk = values[block..<block + 32]
                let amax = chunk.map(abs).max() ?? 0
                let d = amax / 127
                appendHalf(d, to: &bytes)
                let inv: Float = d == 0 ? 0 : 1 / d
                for v in chunk { bytes.append(UInt8(bitPattern: Int8((v * inv).rounded()))) }
            }
        case .q4_1:
            for block in stride(from: 0, to: values.count, by: 32) {
                let chunk = Array(values[block..<block + 32])
                let lo = chunk.min() ?? 0, hi = chunk.max() ?? 0
                let d = (hi - lo) / 15
                appendHalf(d, to: &bytes)
                appendHalf(lo, to: &bytes)
                let inv: Float = d == 0 ? 0 : 1 / d
                let q = chunk.map { UInt8(min(max(((($0 - lo) * inv)).rounded(), 0), 15)) }
                for j in 0..<16 { bytes.append(q[j] | (q[j + 16] << 4)) }
            }
        default:
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        }
        return bytes
    }

    /// What the stored bytes decode to (the model's exact weights).
    static func decode(_ bytes: [UInt8], as type: GGMLType, count: Int) throws -> [Float] {
        try bytes.withUnsafeBytes { try dequantizeReference(type: type, from: $0, count: count) }
    }
}
