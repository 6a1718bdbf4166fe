import SwiftletJSON

/// Reads one JSON value a Unicode scalar at a time and writes it out again as Python's
/// `json.dumps(json.loads(text), ensure_ascii=False)` would: `", "` and `": "` between members,
/// strings re-escaped, floats as `repr` writes them. The output grows as the input does, and what is
/// written never changes, so it can be streamed: the output of a prefix is a prefix of the output.
///
/// Strict RFC 8259 as `json.loads` is, except: `NaN` and `Infinity` are refused, and a repeated key
/// is written each time (Python keeps one). Nesting deeper than `maxDepth` is refused.
struct JSONValueStream {
    enum Status { case reading, complete, failed }

    static let maxDepth = 128

    private(set) var status = Status.reading
    private var output = ""
    private var containers: [Container] = []
    private var expected = Expected.value
    private var lexeme = Lexeme.none

    private enum Container { case object, array }
    private enum Expected { case value, valueOrClose, key, keyOrClose, colon, commaOrClose }
    private enum Lexeme {
        case none
        case string(JSONStringDecoder, isKey: Bool)
        case number(String, NumberState)
        case literal(word: String, matched: Int)
    }

    /// Takes the text written since the last call.
    mutating func takeOutput() -> String {
        if case .string(var decoder, let isKey) = lexeme {
            output += decoder.takeEscaped()
            lexeme = .string(decoder, isKey: isKey)
        }
        defer { output = "" }
        return output
    }

    /// Reads one scalar. False when it is not part of the value: the value ended before it (then
    /// `status` is `.complete`), or the reading had failed or completed already.
    mutating func push(_ scalar: Unicode.Scalar) -> Bool {
        guard status == .reading else { return false }
        switch lexeme {
        case .none: break
        case .string(var decoder, let isKey):
            lexeme = .none
            switch decoder.push(scalar) {
            case .failed: status = .failed
            case .reading: lexeme = .string(decoder, isKey: isKey)
            case .closed:
                output += decoder.takeEscaped() + "\""
                if isKey { expected = .colon } else { valueEnded() }
            }
            return true
        case .number(let text, let state):
            if let next = state.next(scalar) {
                lexeme = .number(text + String(scalar), next)
                return true
            }
            endNumber(text, state)
            if status != .reading { return false }
        case .literal(let word, let matched):
            let wordScalars = word.unicodeScalars
            guard wordScalars[wordScalars.index(wordScalars.startIndex, offsetBy: matched)] == scalar else {
                status = .failed
                return true
            }
            if matched + 1 == wordScalars.count {
                lexeme = .none
                output += word
                valueEnded()
            } else {
                lexeme = .literal(word: word, matched: matched + 1)
            }
            return true
        }
        structural(scalar)
        return true
    }

    /// The input ended: a number at the top level ends with it; anything else left open fails.
    mutating func endOfInput() {
        guard status == .reading else { return }
        if case .number(let text, let state) = lexeme { endNumber(text, state) }
        if status == .reading { status = .failed }
    }

    private mutating func endNumber(_ text: String, _ state: NumberState) {
        lexeme = .none
        guard state.isFinal else {
            status = .failed
            return
        }
        output += PythonNumberText.ofJSONLiteral(text)
        valueEnded()
    }

    private mutating func valueEnded() {
        if containers.isEmpty { status = .complete } else { expected = .commaOrClose }
    }

    private mutating func structural(_ scalar: Unicode.Scalar) {
        switch scalar {
        case " ", "\t", "\n", "\r": return
        default: break
        }
        switch expected {
        case .value, .valueOrClose:
            if scalar == "]" && expected == .valueOrClose { close() } else { startValue(scalar) }
        case .key, .keyOrClose:
            if scalar == "\"" {
                output += "\""
                lexeme = .string(JSONStringDecoder(), isKey: true)
            } else if scalar == "}" && expected == .keyOrClose {
                close()
            } else {
                status = .failed
            }
        case .colon:
            guard scalar == ":" else { return status = .failed }
            output += ": "
            expected = .value
        case .commaOrClose:
            let inObject = containers.last == .object
            if scalar == "," {
                output += ", "
                expected = inObject ? .key : .value
            } else if scalar == (inObject ? "}" : "]") {
                close()
            } else {
                status = .failed
            }
        }
    }

    private mutating func startValue(_ scalar: Unicode.Scalar) {
        switch scalar {
        case "{", "[":
            guard containers.count < Self.maxDepth else { return status = .failed }
            containers.append(scalar == "{" ? .object : .array)
            output.unicodeScalars.append(scalar)
            expected = scalar == "{" ? .keyOrClose : .valueOrClose
        case "\"":
            output += "\""
            lexeme = .string(JSONStringDecoder(), isKey: false)
        case "t": lexeme = .literal(word: "true", matched: 1)
        case "f": lexeme = .literal(word: "false", matched: 1)
        case "n": lexeme = .literal(word: "null", matched: 1)
        default:
            if let state = NumberState.start.next(scalar) {
                lexeme = .number(String(scalar), state)
            } else {
                status = .failed
            }
        }
    }

    private mutating func close() {
        output += containers.removeLast() == .object ? "}" : "]"
        valueEnded()
    }
}

/// Where a JSON number literal stands after each character (RFC 8259 grammar).
enum NumberState {
    case start, minus, zero, integer, point, fraction, exponentMark, exponentSign, exponent

    /// Whether the literal may end here.
    var isFinal: Bool {
        switch self {
        case .zero, .integer, .fraction, .exponent: return true
        default: return false
        }
    }

    /// The state after `scalar`, or nil when `scalar` cannot continue the literal.
    func next(_ scalar: Unicode.Scalar) -> NumberState? {
        let isDigit = scalar >= "0" && scalar <= "9"
        switch self {
        case .start where scalar == "-": return .minus
        case .start, .minus: return scalar == "0" ? .zero : isDigit ? .integer : nil
        case .zero, .integer, .fraction:
            if isDigit && self != .zero { return self }
            if scalar == "." && self != .fraction { return .point }
            return scalar == "e" || scalar == "E" ? .exponentMark : nil
        case .point: return isDigit ? .fraction : nil
        case .exponentMark where scalar == "+" || scalar == "-": return .exponentSign
        case .exponentMark, .exponentSign, .exponent: return isDigit ? .exponent : nil
        }
    }
}
