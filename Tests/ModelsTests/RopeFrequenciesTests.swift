import ModelFormats
@testable import Models
import Testing

/// Inverse frequencies pinned to float64 NumPy evaluations of transformers' formulas, rounded to Float.
@Suite struct RopeFrequenciesTests {
    func frequencies(theta: Float, headDim: Int, scaling: RopeScaling?, factors: [Float]? = nil) throws -> RopeFrequencies {
        let config = ModelConfig(architecture: .llama, numLayers: 1, hiddenSize: headDim, intermediateSize: 1,
                                 numHeads: 1, numKVHeads: 1, headDim: headDim, vocabSize: 1,
                                 maxPositionEmbeddings: 131_072, rmsNormEps: 1e-5, ropeTheta: theta,
                                 ropeScaling: scaling, tieWordEmbeddings: true)
        return try RopeFrequencies(config: config, file: "config.json", frequencyFactors: factors)
    }

    /// Llama 3.1+ GGUF files carry llama3 scaling as per-dimension divisors (rope_freqs.weight,
    /// written by llama.cpp's converter as unscaled / scaled frequency): dividing by them gives
    /// the llama3-scaled frequencies of the Hugging Face config.
    @Test func ggufFrequencyFactorsReproduceLlama3Scaling() throws {
        let llama3 = RopeScaling.llama3(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192)
        let plain = try RopeFrequencies.compute(headDim: 128, theta: 500_000, scaling: nil, file: "").0
        let scaled = try RopeFrequencies.compute(headDim: 128, theta: 500_000, scaling: llama3, file: "").0
        let factors = zip(plain, scaled).map { Float($0 / $1) }
        #expect(factors[0] == 1 && factors[63] == 8)
        let fromFactors = try frequencies(theta: 500_000, headDim: 128, scaling: nil, factors: factors).invFreq.array
        let fromConfig = try frequencies(theta: 500_000, headDim: 128, scaling: llama3).invFreq.array
        #expect(zip(fromFactors, fromConfig).allSatisfy { abs($0 - $1) <= 2 * $1.ulp })
        #expect(fromFactors != (try frequencies(theta: 500_000, headDim: 128, scaling: nil).invFreq.array))
        #expect(throws: ModelLoadingError.invalidConfig(file: "config.json", reason: "rope frequency factors must be 64 positive numbers")) {
            try frequencies(theta: 500_000, headDim: 128, scaling: nil, factors: [Float](repeating: 1, count: 63))
        }
        #expect(throws: ModelLoadingError.invalidConfig(file: "config.json", reason: "rope frequency factors must be 64 positive numbers")) {
            try frequencies(theta: 500_000, headDim: 128, scaling: nil, factors: [0] + [Float](repeating: 1, count: 63))
        }
    }

    @Test func unscaledAndLinear() throws {
        let plain = try frequencies(theta: 10_000, headDim: 64, scaling: nil)
        #expect(plain.invFreq.count == 32)
        #expect(plain.invFreq.array[0] == 1)
        #expect(plain.attentionFactor == 1)
        let linear = try frequencies(theta: 10_000, headDim: 64, scaling: .linear(factor: 2))
        #expect(linear.invFreq.array[1] == 0.37494710087776184)
    }

    @Test func llama3KeepsHighFrequenciesAndDividesLowOnes() throws {
        let rope = try frequencies(theta: 500_000, headDim: 128, scaling: .llama3(
            factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 8192))
        let f = rope.invFreq.array
        #expect(f[0] == 1.0)
        #expect(f[20] == 0.016560440883040428)
        #expect(f[30] == 0.0013718935661017895)  // in the smooth band
        #expect(f[40] == 3.428102354519069e-05)
        #expect(f[63] == 3.068925877869333e-07)
        #expect(rope.attentionFactor == 1)
    }

    @Test func yarnRampsBetweenTheCorrectionDimensions() throws {
        let rope = try frequencies(theta: 1_000_000, headDim: 128, scaling: .yarn(
            factor: 4, originalMaxPositionEmbeddings: 32768, betaFast: 32, betaSlow: 1, attentionFactor: nil))
        let f = rope.invFreq.array
        #expect(f[0] == 1.0)
        #expect(f[10] == 0.11547819525003433)
        #expect(f[20] == 0.013335213996469975)
        #expect(f[30] == 0.0010643609566614032)
        #expect(f[40] == 4.4456985051510856e-05)
        #expect(f[63] == 3.102344408034696e-07)
        #expect(rope.attentionFactor == Float(1.138629436111989))
    }
}
