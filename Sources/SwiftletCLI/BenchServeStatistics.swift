/// Mean, median, standard deviation and percentiles of a sample, as vLLM's bench reports them
/// (NumPy's defaults: population standard deviation, linear interpolation between ranks).
struct BenchServeStatistics: Equatable {
    /// Arithmetic mean (0 for an empty sample).
    var mean: Double
    /// The 50th percentile.
    var median: Double
    /// Population standard deviation.
    var std: Double
    /// The 99th percentile.
    var p99: Double

    /// Statistics of `values` (all zero when empty).
    init(_ values: [Double]) {
        guard !values.isEmpty else {
            mean = 0; median = 0; std = 0; p99 = 0
            return
        }
        let sorted = values.sorted()
        let average = values.reduce(0, +) / Double(values.count)
        mean = average
        median = Self.percentile(sorted: sorted, 50)
        p99 = Self.percentile(sorted: sorted, 99)
        let variance = values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count)
        std = variance.squareRoot()
    }

    /// The `percent`-th percentile of ascending `sorted` values, interpolating linearly between
    /// the two nearest ranks (NumPy's `percentile(..., method="linear")`); 0 when empty.
    static func percentile(sorted: [Double], _ percent: Double) -> Double {
        guard let first = sorted.first else { return 0 }
        guard sorted.count > 1 else { return first }
        let rank = min(max(percent, 0), 100) / 100 * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = rank - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
