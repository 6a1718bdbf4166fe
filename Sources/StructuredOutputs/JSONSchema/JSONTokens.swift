/// The regexes of JSON's tokens, and the step from a regex over a string's decoded text to the
/// regex of its JSON spelling (quotes and escapes) that a string lexeme needs.
enum JSONTokens {
    private typealias R = RegexBuilding

    static let digit = R.set("0-9")
    static let hexDigit = R.set("0-9a-fA-F")
    /// `-?(0|[1-9][0-9]*)`
    static let integer = R.seq(R.opt(R.lit("-")), R.alt(R.lit("0"), R.seq(R.set("1-9"), R.star(digit))))
    /// RFC 8259 number: integer, optional fraction, optional exponent.
    static let number = R.seq(
        integer, R.opt(R.seq(R.lit("."), R.plus(digit))), R.opt(R.seq(R.set("eE"), R.opt(R.set("+-")), R.plus(digit))))
    /// JSON's whitespace between tokens: `[ \t\n\r]*`.
    static let whitespace = R.star(.scalars([9...10, 13...13, 32...32]))

    /// One character of a JSON string as written: anything but `"`, `\` and control characters, or
    /// an escape (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\uXXXX`).
    static let stringCharacter = R.alt(
        .scalars([0x20...0x21, 0x23...0x5B, 0x5D...0xD7FF, 0xE000...0x10FFFF]),
        R.seq(R.lit("\\"), R.alt(R.set("\"\\\\/bfnrt"), R.seq(R.lit("u"), R.rep(hexDigit, 4, 4)))))
    /// Any JSON string: `"([^"\\\x00-\x1F]|\\(["\\/bfnrt]|u[0-9a-fA-F]{4}))*"`.
    static let string = R.seq(R.lit("\""), R.star(stringCharacter), R.lit("\""))

    /// The JSON spelling, quotes included, of the strings whose decoded text `text` matches.
    static func quoted(_ text: RegexNode) -> RegexNode {
        R.seq(R.lit("\""), spelled(text), R.lit("\""))
    }

    /// The exact JSON spelling (quotes included) of one string, escaped as Python's `json.dumps`
    /// with `ensure_ascii=False` writes it (and with either case of hex in `\u00XX`).
    static func quotedLiteral(_ text: String) -> RegexNode { quoted(.literal(text)) }

    /// Maps a regex over decoded text to the regex of its JSON string body: each character written
    /// raw, `"` `\` and control characters as their escapes, and `/` raw or as `\/`. A class of
    /// every character (`anyScalar`) spells as `stringCharacter`, `\uXXXX` escapes included.
    static func spelled(_ text: RegexNode) -> RegexNode {
        switch text {
        case .empty, .never, .bytes: return text
        case .literal(let value):
            var parts: [RegexNode] = []
            var plain = ""
            for scalar in value.unicodeScalars {
                if needsEscape(scalar.value) {
                    if !plain.isEmpty { parts.append(.literal(plain)); plain = "" }
                    parts.append(escape(scalar.value))
                } else {
                    plain.unicodeScalars.append(scalar)
                }
            }
            if !plain.isEmpty { parts.append(.literal(plain)) }
            return parts.count == 1 ? parts[0] : .concat(parts)
        case .scalars(let ranges):
            if ranges == RegexNode.anyScalar.scalarRanges { return stringCharacter }
            return spelledClass(ranges)
        case .concat(let parts): return .concat(parts.map(spelled))
        case .alternation(let options): return .alternation(options.map(spelled))
        case .repetition(let node, let min, let max): return .repetition(spelled(node), min: min, max: max)
        }
    }

    private static func needsEscape(_ value: UInt32) -> Bool { value < 0x20 || value == 0x22 || value == 0x5C }

    /// The escape Python writes for a character that must be escaped.
    private static func escape(_ value: UInt32) -> RegexNode {
        switch value {
        case 0x22: return R.lit("\\\"")
        case 0x5C: return R.lit("\\\\")
        case 0x08: return R.lit("\\b")
        case 0x0C: return R.lit("\\f")
        case 0x0A: return R.lit("\\n")
        case 0x0D: return R.lit("\\r")
        case 0x09: return R.lit("\\t")
        default: return unicodeEscape(value)
        }
    }

    /// `\u00XX` for a control character, either case of hex digit.
    private static func unicodeEscape(_ value: UInt32) -> RegexNode {
        let hex = Array("0123456789abcdef".unicodeScalars)
        let high = hex[Int(value >> 4)], low = hex[Int(value & 15)]
        let lowNode: RegexNode = low.properties.isAlphabetic
            ? .scalars(RegexBuilding.normalized([low.value...low.value, (low.value - 32)...(low.value - 32)]))
            : .literal(String(low))
        return R.seq(R.lit("\\u00" + String(high)), lowNode)
    }

    /// The characters that need an escape: the controls, `"` and `\`.
    private static let escapedRanges: [ClosedRange<UInt32>] = [0...0x1F, 0x22...0x22, 0x5C...0x5C]

    private static func spelledClass(_ ranges: [ClosedRange<UInt32>]) -> RegexNode {
        let raw = RegexDerivatives.subtract(escapedRanges, from: ranges)
        var escaped: [RegexNode] = []
        let special = RegexDerivatives.intersect(ranges, escapedRanges)
        if special.first == 0...0x1F {
            // Every control character: its short escape where it has one, else \u00XX.
            escaped += [0x08, 0x09, 0x0A, 0x0C, 0x0D].map(escape)
            escaped.append(R.seq(R.lit("\\u00"), R.set("01"), hexDigit))
        }
        for range in special where range != 0...0x1F {
            for value in range { escaped.append(escape(value)) }
        }
        if raw.contains(where: { $0.contains(0x2F) }) { escaped.append(R.lit("\\/")) }
        var options: [RegexNode] = raw.isEmpty ? [] : [.scalars(raw)]
        options.append(contentsOf: escaped)
        if options.isEmpty { return .never }
        return options.count == 1 ? options[0] : .alternation(options)
    }
}

extension RegexNode {
    /// The ranges of a `.scalars` node (empty for any other node).
    var scalarRanges: [ClosedRange<UInt32>] {
        if case .scalars(let ranges) = self { return ranges }
        return []
    }
}
