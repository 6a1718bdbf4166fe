/// Python `str()` / `repr()` renderings of values, which is what `{{ x }}` and `x|string` print.
enum ValueFormatting {
    /// Deepest nesting printed before giving up (guards recursion on values built by templates).
    static let maxDepth = 512

    /// Python `str(value)`; undefined prints as the empty string.
    static func str(_ value: Value) throws -> String {
        switch value {
        case .string(let s): return s
        case .undefined: return ""
        default:
            var out = ""
            try appendRepr(value, to: &out, depth: 0)
            return out
        }
    }

    /// Python `repr(value)` appended to `out`.
    static func appendRepr(_ value: Value, to out: inout String, depth: Int) throws {
        guard depth < maxDepth else { throw EvalFailure.limit("value nested deeper than \(maxDepth) levels") }
        switch value {
        case .undefined: out += ""
        case .none: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .double(let d): out += pythonFloat(d)
        case .string(let s): appendStringRepr(s, to: &out)
        case .list(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                try appendRepr(item, to: &out, depth: depth + 1)
            }
            out += "]"
        case .tuple(let items):
            out += "("
            for (i, item) in items.enumerated() {
                if i > 0 { out += ", " }
                try appendRepr(item, to: &out, depth: depth + 1)
            }
            out += items.count == 1 ? ",)" : ")"
        case .dict(let dict):
            try appendDict(dict, to: &out, depth: depth)
        case .namespace(let ns):
            out += "<Namespace "
            try appendDict(ns.attributes, to: &out, depth: depth)
            out += ">"
        case .macro(let m): out += "<Macro '\(m.definition.name)'>"
        case .function(let f): out += "<built-in function \(f)>"
        case .method(let m): out += "<built-in method \(m.name) of \(m.receiver.typeName) object>"
        case .loop: out += "<LoopContext>"
        }
    }

    private static func appendDict(_ dict: ValueDict, to out: inout String, depth: Int) throws {
        out += "{"
        for (i, key) in dict.keys.enumerated() {
            if i > 0 { out += ", " }
            appendStringRepr(key, to: &out)
            out += ": "
            try appendRepr(dict[key] ?? .none, to: &out, depth: depth + 1)
        }
        out += "}"
    }

    /// Python's quoting of a string: single quotes unless the text has `'` and no `"`.
    static func appendStringRepr(_ s: String, to out: inout String) {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        out.append(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote {
                    out += "\\"
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Python `repr(float)`: shortest round-trip digits, fixed notation for exponents in [-4, 16).
    static func pythonFloat(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        let text = d.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var negative = false
        if mantissa.first == "-" { negative = true; mantissa = mantissa.dropFirst() }
        var digits = Array(mantissa.filter { $0 != "." })
        var point = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = negative ? "-" : ""
        if digits == ["0"] { return sign + "0.0" }
        let e = point + exponent - 1
        if e >= -4 && e < 16 {
            if e >= 0 {
                let intCount = e + 1
                let intPart = digits.count >= intCount
                    ? String(digits[0..<intCount])
                    : String(digits) + String(repeating: "0", count: intCount - digits.count)
                let frac = digits.count > intCount ? String(digits[intCount...]) : "0"
                return sign + intPart + "." + frac
            }
            return sign + "0." + String(repeating: "0", count: -e - 1) + String(digits)
        }
        var out = sign + String(digits[0])
        if digits.count > 1 { out += "." + String(digits[1...]) }
        let expDigits = String(abs(e))
        out += (e < 0 ? "e-" : "e+") + (expDigits.count < 2 ? "0" + expDigits : expDigits)
        return out
    }
}
