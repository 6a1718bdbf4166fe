import SwiftletJSON

/// The inside of a JSON string literal, read a scalar at a time after its opening quote: escapes are
/// decoded, and what is decoded comes out escaped again as Python's `json.dumps(..., ensure_ascii=False)`
/// writes it. A `\u` escape of a lone surrogate reads as U+FFFD.
struct JSONStringDecoder {
    enum Step { case reading, closed, failed }

    private enum Escape {
        case none
        case backslash
        case unicode(value: UInt32, digits: Int)
    }

    private var escape = Escape.none
    /// A high surrogate read from a `\u` escape, waiting for its low half.
    private var highSurrogate: UInt32?
    private var decoded = ""

    /// The decoded text since the last call, escaped (without quotes).
    mutating func takeEscaped() -> String {
        guard !decoded.isEmpty else { return "" }
        let quoted = PythonJSONText.text(of: .string(decoded))
        decoded = ""
        return String(quoted.dropFirst().dropLast())
    }

    /// The decoded text since the last call, as it is.
    mutating func takeDecoded() -> String {
        defer { decoded = "" }
        return decoded
    }

    mutating func push(_ scalar: Unicode.Scalar) -> Step {
        switch escape {
        case .none:
            if scalar == "\\" {
                escape = .backslash
                return .reading
            }
            flushLoneSurrogate()
            if scalar == "\"" { return .closed }
            if scalar.value < 0x20 { return .failed }
            decoded.unicodeScalars.append(scalar)
        case .backslash:
            escape = .none
            if scalar == "u" {
                escape = .unicode(value: 0, digits: 0)
                return .reading
            }
            flushLoneSurrogate()
            switch scalar {
            case "\"", "\\", "/": decoded.unicodeScalars.append(scalar)
            case "b": decoded += "\u{8}"
            case "f": decoded += "\u{C}"
            case "n": decoded += "\n"
            case "r": decoded += "\r"
            case "t": decoded += "\t"
            default: return .failed
            }
        case .unicode(let value, let digits):
            guard let digit = Self.hexValue(scalar) else { return .failed }
            let next = value << 4 | digit
            if digits < 3 {
                escape = .unicode(value: next, digits: digits + 1)
                return .reading
            }
            escape = .none
            appendCodeUnit(next)
        }
        return .reading
    }

    private static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": return scalar.value - 0x30
        case "a"..."f": return scalar.value - 0x61 + 10
        case "A"..."F": return scalar.value - 0x41 + 10
        default: return nil
        }
    }

    private mutating func appendCodeUnit(_ unit: UInt32) {
        if let high = highSurrogate, (0xDC00...0xDFFF).contains(unit) {
            highSurrogate = nil
            let combined = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
            decoded.unicodeScalars.append(Unicode.Scalar(combined) ?? "\u{FFFD}")
            return
        }
        flushLoneSurrogate()
        if (0xD800...0xDBFF).contains(unit) {
            highSurrogate = unit
        } else {
            decoded.unicodeScalars.append(Unicode.Scalar(unit) ?? "\u{FFFD}")
        }
    }

    private mutating func flushLoneSurrogate() {
        if highSurrogate != nil {
            highSurrogate = nil
            decoded += "\u{FFFD}"
        }
    }
}
