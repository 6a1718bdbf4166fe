import SwiftletJSON

/// String and number literals of `PythonLiteral`.
extension PythonLiteral {
    /// One or more adjacent string literals, joined.
    mutating func string() -> JSONValue? {
        var text = ""
        while true {
            guard let part = stringPart() else { return nil }
            text += part
            let end = index
            skipSpace()
            guard current == "'" || current == "\"" else {
                index = end
                return .string(text)
            }
        }
    }

    /// A '...', "...", '''...''' or """...""" literal at its opening quote.
    private mutating func stringPart() -> String? {
        guard let quote = current else { return nil }
        let triple = index + 2 < scalars.count && scalars[index + 1] == quote && scalars[index + 2] == quote
        index += triple ? 3 : 1
        var text = ""
        while let scalar = current {
            index += 1
            if scalar == quote {
                if !triple { return text }
                if index + 1 < scalars.count, scalars[index] == quote, scalars[index + 1] == quote {
                    index += 2
                    return text
                }
                text.unicodeScalars.append(scalar)
            } else if scalar == "\\" {
                guard let escaped = escape() else { return nil }
                text += escaped
            } else if scalar == "\n" && !triple {
                return nil
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return nil
    }

    /// The text of the escape after a backslash (Python's escapes; an unknown one keeps its backslash).
    private mutating func escape() -> String? {
        guard let scalar = current else { return nil }
        index += 1
        switch scalar {
        case "\n": return ""
        case "\\", "'", "\"": return String(scalar)
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "a": return "\u{7}"
        case "b": return "\u{8}"
        case "f": return "\u{C}"
        case "v": return "\u{B}"
        case "x": return codePoint(digits: 2, radix: 16)
        case "u": return codePoint(digits: 4, radix: 16)
        case "U": return codePoint(digits: 8, radix: 16)
        case "0"..."7":
            index -= 1
            var count = 0
            while count < 3, let digit = current, ("0"..."7").contains(digit) {
                count += 1
                index += 1
            }
            return codePoint(text: scalars[(index - count)..<index], radix: 8)
        default: return "\\" + String(scalar)
        }
    }

    private mutating func codePoint(digits: Int, radix: Int) -> String? {
        guard index + digits <= scalars.count else { return nil }
        index += digits
        return codePoint(text: scalars[(index - digits)..<index], radix: radix)
    }

    private func codePoint(text: ArraySlice<Unicode.Scalar>, radix: Int) -> String? {
        guard let value = UInt32(ScalarText.string(text), radix: radix) else { return nil }
        // A surrogate cannot stand in a Swift string; it reads as U+FFFD.
        guard value <= 0x10FFFF else { return nil }
        return String(Unicode.Scalar(value) ?? "\u{FFFD}")
    }

    /// An int or float literal, with an optional sign.
    mutating func number() -> JSONValue? {
        let start = index
        while let scalar = current, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || scalar == "_" || scalar == "." || ((scalar == "+" || scalar == "-") && (index == start || ["e", "E"].contains(scalars[index - 1]))) {
            index += 1
        }
        var text = ScalarText.string(scalars[start..<index])
        let negative = text.hasPrefix("-")
        if negative || text.hasPrefix("+") { text.removeFirst() }
        guard let first = text.first, first.isASCII, first.isNumber || first == "." else { return nil }
        guard !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { return nil }
        text.removeAll { $0 == "_" }
        let sign = negative ? "-" : ""
        let lower = text.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            guard let value = Int(lower.dropFirst(2), radix: radix) else { return nil }
            return JSONNumber((value == 0 ? "" : sign) + String(value)).map(JSONValue.number)
        }
        if text.allSatisfy({ $0.isASCII && $0.isNumber }) {
            let digits = text.drop { $0 == "0" }
            // Python refuses leading zeros on a nonzero decimal int.
            if digits.count < text.count && !digits.isEmpty { return nil }
            return JSONNumber(digits.isEmpty ? "0" : sign + digits).map(JSONValue.number)
        }
        guard !lower.hasSuffix("j"), !lower.contains("inf"), !lower.contains("nan"), let value = Double(sign + text),
              let written = PythonNumberText.ofFloat(value)
        else { return nil }
        return JSONNumber(written).map(JSONValue.number)
    }
}
