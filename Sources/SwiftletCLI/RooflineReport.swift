import Foundation
import Swiftlet

/// Decode against the machine's roofs: the weight bytes a step streams and the bytes/s and
/// FLOP/s that the measured decode rate implies, as shares of the measured streaming-read
/// bandwidth and peak arithmetic rates of the same thread count.
struct RooflineReport {
    let traffic: WeightTraffic
    /// Sequences decoded per step (tokens per weight pass).
    let batchSize: Int
    /// Measured decode rate, tokens per second over all sequences.
    let decodeTokensPerSecond: Double
    let roofs: MachinePeakRates
    /// KV-cache bytes attention reads per step (all sequences' cached K and V), when known.
    var kvBytesPerStep: Double?

    /// Weight bytes per second: one pass over the weights per step of `batchSize` tokens.
    var bytesPerSecond: Double { Double(traffic.bytesPerStep) * decodeTokensPerSecond / Double(max(1, batchSize)) }
    /// Matmul FLOP/s: 2 * params per token (attention excluded).
    var flopsPerSecond: Double { 2 * Double(traffic.matmulParams) * decodeTokensPerSecond }
    var bandwidthShare: Double { bytesPerSecond / (roofs.streamGBPerSecond * 1e9) }
    /// KV-cache bytes per second at the measured step rate.
    var kvBytesPerSecond: Double? { kvBytesPerStep.map { $0 * decodeTokensPerSecond / Double(max(1, batchSize)) } }
    var fmaShare: Double { flopsPerSecond / (roofs.fmaGFLOPPerSecond * 1e9) }
    var dotShare: Double { flopsPerSecond / (roofs.dotInt8GOPPerSecond * 1e9) }

    /// The report's lines.
    var lines: [String] {
        let mb = Double(traffic.bytesPerStep) / 1e6
        return [
            String(format: "roofline:       %.1f MB of weights per step (%.1f MB per token at batch %d), %.1fM matmul params",
                   mb, mb / Double(max(1, batchSize)), batchSize, Double(traffic.matmulParams) / 1e6),
            String(format: "  memory:       %.2f GB/s of weights = %.0f%% of stream read %.2f GB/s (%d threads)",
                   bytesPerSecond / 1e9, 100 * bandwidthShare, roofs.streamGBPerSecond, roofs.numThreads),
            String(format: "  compute:      %.2f GFLOP/s (2 x params per token) = %.1f%% of f32 FMA peak %.1f GFLOP/s, %.1f%% of int8 dot peak %.1f GOP/s",
                   flopsPerSecond / 1e9, 100 * fmaShare, roofs.fmaGFLOPPerSecond, 100 * dotShare, roofs.dotInt8GOPPerSecond),
        ] + kvLines
    }

    /// The KV-cache reads beside the weights, when known.
    private var kvLines: [String] {
        guard let kvBytesPerStep, let kvBytesPerSecond else { return [] }
        let total = bytesPerSecond + kvBytesPerSecond
        return [String(format: "  KV cache:     %.1f MB read per step by attention (K and V), %.2f GB/s; weights + KV = %.2f GB/s = %.0f%% of stream read",
                       kvBytesPerStep / 1e6, kvBytesPerSecond / 1e9, total / 1e9, 100 * total / (roofs.streamGBPerSecond * 1e9))]
    }

    /// The figures as `--output-json` writes them.
    struct Figures: Encodable {
        var weightBytesPerStep: Int
        var matmulParams: Int
        var weightBytesPerS: Double
        var streamReadGbPerS: Double
        var bandwidthShare: Double
        var flopPerS: Double
        var fmaPeakGflopPerS: Double
        var int8DotPeakGopPerS: Double
        var threads: Int
        var kvBytesPerStep: Double?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(weightBytesPerStep, forKey: .weightBytesPerStep)
            try container.encode(matmulParams, forKey: .matmulParams)
            try container.encode(weightBytesPerS, forKey: .weightBytesPerS)
            try container.encode(streamReadGbPerS, forKey: .streamReadGbPerS)
            try container.encode(bandwidthShare, forKey: .bandwidthShare)
            try container.encode(flopPerS, forKey: .flopPerS)
            try container.encode(fmaPeakGflopPerS, forKey: .fmaPeakGflopPerS)
            try container.encode(int8DotPeakGopPerS, forKey: .int8DotPeakGopPerS)
            try container.encode(threads, forKey: .threads)
            try container.encode(kvBytesPerStep, forKey: .kvBytesPerStep)  // null when unknown
        }

        enum CodingKeys: String, CodingKey {
            case weightBytesPerStep, matmulParams, weightBytesPerS, streamReadGbPerS, bandwidthShare, flopPerS
            case fmaPeakGflopPerS, int8DotPeakGopPerS, threads, kvBytesPerStep
        }
    }

    var figures: Figures {
        Figures(weightBytesPerStep: traffic.bytesPerStep, matmulParams: traffic.matmulParams, weightBytesPerS: bytesPerSecond,
                streamReadGbPerS: roofs.streamGBPerSecond, bandwidthShare: bandwidthShare, flopPerS: flopsPerSecond,
                fmaPeakGflopPerS: roofs.fmaGFLOPPerSecond, int8DotPeakGopPerS: roofs.dotInt8GOPPerSecond,
                threads: roofs.numThreads, kvBytesPerStep: kvBytesPerStep)
    }
}
