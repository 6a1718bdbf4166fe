/// The printed lines and the JSON summary of `bench structured`.
struct BenchStructuredReport {
    let figures: MaskBenchRunner.Figures

    struct Summary: Encodable {
        var schemas: Int
        var compiled: Int
        var validInstances: Int
        var validAccepted: Int
        var invalidInstances: Int
        var invalidRejected: Int
        var tokens: Int
        var forcedTokens: Int
        var compileMsP50: Double
        var compileMsP99: Double
        var maskUsMean: Double
        var maskUsP50: Double
        var maskUsP99: Double
        var maskUsMax: Double
        var compileErrors: [String: Int]
    }

    var summary: Summary {
        let compile = figures.compileMs.sorted(), mask = figures.maskUs.sorted()
        return Summary(
            schemas: figures.schemas, compiled: figures.compiled, validInstances: figures.validInstances,
            validAccepted: figures.validAccepted, invalidInstances: figures.invalidInstances, invalidRejected: figures.invalidRejected,
            tokens: figures.tokens, forcedTokens: figures.forcedTokens, compileMsP50: BenchServeStatistics.percentile(sorted: compile, 50),
            compileMsP99: BenchServeStatistics.percentile(sorted: compile, 99),
            maskUsMean: mask.isEmpty ? 0 : mask.reduce(0, +) / Double(mask.count),
            maskUsP50: BenchServeStatistics.percentile(sorted: mask, 50), maskUsP99: BenchServeStatistics.percentile(sorted: mask, 99),
            maskUsMax: mask.last ?? 0, compileErrors: figures.compileErrors)
    }

    var lines: [String] {
        let s = summary
        func share(_ part: Int, _ whole: Int) -> String { whole > 0 ? String(format: "%.2f%%", 100 * Double(part) / Double(whole)) : "-" }
        var lines = [
            "schemas compiled:      \(s.compiled) / \(s.schemas) (\(share(s.compiled, s.schemas)))",
            "valid accepted:        \(s.validAccepted) / \(s.validInstances) (\(share(s.validAccepted, s.validInstances)))",
            "invalid rejected:      \(s.invalidRejected) / \(s.invalidInstances) (\(share(s.invalidRejected, s.invalidInstances)))",
            String(format: "compile:               p50 %.3f ms, p99 %.3f ms", s.compileMsP50, s.compileMsP99),
            String(format: "mask per token:        mean %.1f us, p50 %.1f us, p99 %.1f us, max %.1f us over %d tokens",
                   s.maskUsMean, s.maskUsP50, s.maskUsP99, s.maskUsMax, s.tokens),
            "forced tokens:         \(s.forcedTokens) / \(s.tokens) (\(share(s.forcedTokens, s.tokens))) masks allowed one token only",
        ]
        for (reason, count) in s.compileErrors.sorted(by: { $0.value > $1.value }).prefix(8) {
            lines.append("  not compiled: \(count) x \(reason)")
        }
        if !figures.refusedValid.isEmpty { lines.append("  valid refused (first): " + figures.refusedValid.prefix(8).joined(separator: ", ")) }
        return lines
    }
}
