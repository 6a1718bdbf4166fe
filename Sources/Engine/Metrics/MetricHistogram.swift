/// One Prometheus histogram series: per-bucket counts (stored non-cumulative, rendered cumulative),
/// the sum and the count of observations.
struct MetricHistogram: Sendable {
    /// Upper bounds in increasing order, without `+Inf` (it is always added).
    let bounds: [Double]
    private(set) var bucketCounts: [Int]
    private(set) var sum: Double = 0
    private(set) var count: Int = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        bucketCounts = Array(repeating: 0, count: bounds.count + 1)
    }

    /// Records one value in the first bucket whose bound is >= value (the last is `+Inf`).
    mutating func observe(_ value: Double) {
        // Binary search: bounds are sorted.
        var low = 0
        var high = bounds.count
        while low < high {
            let mid = (low + high) / 2
            if value <= bounds[mid] { high = mid } else { low = mid + 1 }
        }
        bucketCounts[low] += 1
        sum += value
        count += 1
    }

    /// The `_bucket`, `_count` and `_sum` lines of this series (the Python client's order).
    func render(name: String, labels: [(String, String)]) -> String {
        var out = ""
        var cumulative = 0
        for (index, bucketCount) in bucketCounts.enumerated() {
            cumulative += bucketCount
            let bound = index < bounds.count ? bounds[index] : Double.infinity
            let set = PrometheusText.labelSet(labels + [("le", PrometheusText.format(bound))])
            out += "\(name)_bucket\(set) \(PrometheusText.format(Double(cumulative)))\n"
        }
        let set = PrometheusText.labelSet(labels)
        out += "\(name)_count\(set) \(PrometheusText.format(Double(count)))\n"
        out += "\(name)_sum\(set) \(PrometheusText.format(sum))\n"
        return out
    }
}
