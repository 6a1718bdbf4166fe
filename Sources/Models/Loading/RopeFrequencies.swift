import Foundation
import ModelFormats

/// Rotary embedding constants computed once at load: `invFreq[i] = theta^(-2i/headDim)`
/// adjusted by the config's rope scaling, and the factor YaRN applies to attention logits.
public struct RopeFrequencies: @unchecked Sendable {
    /// Inverse frequencies (scaling included). [headDim / 2]
    public let invFreq: FloatBuffer
    /// Multiplier of cos/sin (YaRN's attention factor, 1 otherwise). Applied to both q and k,
    /// so the attention scale is multiplied by its square.
    public let attentionFactor: Float

    /// Computes the constants in Double and rounds once to Float. `frequencyFactors` (GGUF's
    /// `rope_freqs.weight`, which llama.cpp's converter writes for Llama 3.1+ instead of scaling
    /// metadata: [headDim / 2]) divide the frequencies one by one, as llama.cpp's rope does.
    public init(config: ModelConfig, file: String, frequencyFactors: [Float]? = nil) throws {
        var (values, factor) = try Self.compute(headDim: config.headDim, theta: Double(config.ropeTheta),
                                                scaling: config.ropeScaling, file: file)
        if let frequencyFactors {
            guard frequencyFactors.count == values.count, frequencyFactors.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw ModelLoadingError.invalidConfig(file: file, reason: "rope frequency factors must be \(values.count) positive numbers")
            }
            values = zip(values, frequencyFactors).map { $0 / Double($1) }
        }
        invFreq = FloatBuffer(values.map { Float($0) })
        attentionFactor = Float(factor)
    }

    /// The inverse frequencies and the attention factor for a head dimension, base and scaling.
    static func compute(headDim: Int, theta: Double, scaling: RopeScaling?, file: String) throws -> ([Double], Double) {
        let half = headDim / 2
        let base = (0..<half).map { i in 1.0 / pow(theta, Double(2 * i) / Double(headDim)) }
        switch scaling {
        case nil:
            return (base, 1)
        case let .linear(factor)?:
            return (base.map { $0 / Double(factor) }, 1)
        case let .llama3(factor, lowFreqFactor, highFreqFactor, original)?:
            guard highFreqFactor > lowFreqFactor else {
                throw ModelLoadingError.invalidConfig(file: file, reason: "llama3 rope scaling needs high_freq_factor > low_freq_factor")
            }
            let lowWavelen = Double(original) / Double(lowFreqFactor)
            let highWavelen = Double(original) / Double(highFreqFactor)
            let scaled = base.map { freq -> Double in
                let wavelen = 2 * Double.pi / freq
                if wavelen < highWavelen { return freq }
                if wavelen > lowWavelen { return freq / Double(factor) }
                let smooth = (Double(original) / wavelen - Double(lowFreqFactor)) / Double(highFreqFactor - lowFreqFactor)
                return (1 - smooth) * freq / Double(factor) + smooth * freq
            }
            return (scaled, 1)
        case let .yarn(factor, original, betaFast, betaSlow, attentionFactor)?:
            let f = Double(factor)
            // The dimension index whose wavelength makes `rotations` turns over the original context.
            func correctionDim(_ rotations: Double) -> Double {
                Double(headDim) * log(Double(original) / (rotations * 2 * Double.pi)) / (2 * log(theta))
            }
            let low = max(floor(correctionDim(Double(betaFast))), 0)
            var high = min(ceil(correctionDim(Double(betaSlow))), Double(headDim - 1))
            if high == low { high += 0.001 }
            let mixed = base.enumerated().map { i, freq -> Double in
                let ramp = min(max((Double(i) - low) / (high - low), 0), 1)
                let extrapolation = 1 - ramp
                return freq / f * (1 - extrapolation) + freq * extrapolation
            }
            let attention = attentionFactor.map(Double.init) ?? (f > 1 ? 0.1 * log(f) + 1 : 1)
            return (mixed, attention)
        }
    }
}
