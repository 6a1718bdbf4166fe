/// Helpers for the Prometheus text exposition format 0.0.4, written to match what Python's
/// `prometheus_client` emits (the client vLLM uses), so scrapers and dashboards see the same text.
enum PrometheusText {
    /// Formats a sample value or bucket bound as the Python client does: `1.0`, `0.25`, `+Inf`,
    /// `-Inf`, `NaN`, and large values with an exponent (`1.234567e+06`).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Swift's description is the shortest round-tripping form, like Python's repr.
        let text = value.description
        guard value > 0, let dot = text.firstIndex(of: "."), !text.contains("e") else { return text }
        let dotOffset = text.distance(from: text.startIndex, to: dot)
        guard dotOffset > 6 else { return text }
        // Python's client rewrites `1234567.0` as `1.234567e+06` (Go's %g style).
        var digits = text[text.startIndex..<dot] + text[text.index(after: dot)...]
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : "\(digits)"
        let exponent = dotOffset - 1
        return "\(mantissa)e+\(exponent < 10 ? "0" : "")\(exponent)"
    }

    /// Escapes a label value: backslash, double quote and newline.
    static func escapeLabelValue(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// Escapes HELP text: backslash and newline.
    static func escapeHelp(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// `{a="x",b="y"}` with labels sorted by name, as the Python client writes them; empty for none.
    static func labelSet(_ labels: [(String, String)]) -> String {
        if labels.isEmpty { return "" }
        let parts = labels.sorted { $0.0 < $1.0 }.map { "\($0.0)=\"\(escapeLabelValue($0.1))\"" }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// The `# HELP` and `# TYPE` header lines of a metric family.
    static func header(name: String, help: String, type: String) -> String {
        "# HELP \(name) \(escapeHelp(help))\n# TYPE \(name) \(type)\n"
    }
}
