/// Numbers as Python writes them after reading: `json.dumps(json.loads(literal))` for a JSON number, and
/// `repr(float)` for a float.
public enum PythonNumberText {
    /// The text `json.dumps` gives for a JSON number literal after `json.loads`: an integer literal stays
    /// as written (`-0` becomes `0`), any other becomes a float (`1.50` -> `1.5`, `1e3` -> `1000.0`,
    /// `1e999` -> `Infinity`).
    public static func ofJSONLiteral(_ literal: String) -> String {
        let isInteger = !literal.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        if isInteger { return literal == "-0" ? "0" : literal }
        guard let value = Double(literal) else { return literal }
        return ofFloat(value) ?? (value < 0 ? "-Infinity" : "Infinity")
    }

    /// `repr(value)` in Python: the shortest digits that read back to `value`, written without an
    /// exponent when the decimal point falls within 16 digits before and 4 after (`1e+16`,
    /// `1000000000000000.0`, `0.0001`, `1e-05`). Nil for infinities and NaN.
    public static func ofFloat(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description also gives the shortest round-tripping digits; only the layout differs.
        let (digits, point) = decimalDigits(of: value.magnitude.description)
        let sign = value < 0 ? "-" : ""
        if point > 16 || point < -3 {
            let exponent = point - 1
            let mantissa = digits.count == 1 ? digits : digits.prefix(1) + "." + digits.dropFirst()
            let exponentDigits = String(abs(exponent))
            return sign + mantissa + (exponent < 0 ? "e-" : "e+") + (exponentDigits.count < 2 ? "0" : "") + exponentDigits
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if digits.count <= point { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
        return sign + digits.prefix(point) + "." + digits.dropFirst(point)
    }

    /// The significant digits of a positive decimal text (`123.45`, `1.5e-07`) and where its point
    /// falls: the value is 0.d1d2... times ten to the `point`.
    private static func decimalDigits(of text: String) -> (digits: String, point: Int) {
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let whole = mantissa.prefix { $0 != "." }
        let fraction = mantissa.dropFirst(whole.count + 1)
        var digits = Substring(whole + fraction)
        var point = whole.count + exponent
        while digits.first == "0" {
            digits = digits.dropFirst()
            point -= 1
        }
        while digits.last == "0" { digits = digits.dropLast() }
        return (String(digits), point)
    }
}
