/// What Lark grammars lean on besides their own rules: the terminals of Lark's `common` library
/// (written here as Python regexes with the same languages), and the `i` and `s` flags.
enum EBNFLarkCommon {
    private static let float = #"[0-9]+[eE][+-]?[0-9]+|([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?"#

    /// `%import common.NAME`. C_COMMENT ends at the first `*/`, as Lark's lazy regex makes it.
    static let terminals: [String: String] = [
        "DIGIT": "[0-9]",
        "HEXDIGIT": "[a-fA-F0-9]",
        "INT": "[0-9]+",
        "SIGNED_INT": "[+-]?[0-9]+",
        "DECIMAL": #"[0-9]+\.[0-9]*|\.[0-9]+"#,
        "_EXP": "[eE][+-]?[0-9]+",
        "FLOAT": float,
        "SIGNED_FLOAT": "[+-]?(\(float))",
        "NUMBER": "\(float)|[0-9]+",
        "SIGNED_NUMBER": "[+-]?(\(float)|[0-9]+)",
        "ESCAPED_STRING": #""([^"\\\n]|\\[^\n])*""#,
        "LCASE_LETTER": "[a-z]",
        "UCASE_LETTER": "[A-Z]",
        "LETTER": "[A-Za-z]",
        "WORD": "[A-Za-z]+",
        "CNAME": "[_A-Za-z][_A-Za-z0-9]*",
        "WS_INLINE": "[ \\t]+",
        "WS": "[ \\t\\f\\r\\n]+",
        "CR": "\\r",
        "LF": "\\n",
        "NEWLINE": "(\\r?\\n)+",
        "SH_COMMENT": "#[^\\n]*",
        "CPP_COMMENT": "//[^\\n]*",
        "C_COMMENT": #"/\*([^*]|\*+[^*/])*\*+/"#,
        "SQL_COMMENT": "--[^\\n]*",
    ]

    /// The pattern with every `.` outside a class written `[\s\S]` (the `s` flag: `.` takes line
    /// breaks too).
    static func dotMatchesAll(_ pattern: String) -> String {
        let scalars = Array(pattern.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        var inClass = false
        func take() {
            if index < scalars.count { result.append(scalars[index]) }
            index += 1
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                take()
                take()
            } else if inClass {
                if scalar == "]" { inClass = false }
                take()
            } else if scalar == "[" {
                // A `]` first in the class (after any `^`) is a member.
                inClass = true
                take()
                if index < scalars.count, scalars[index] == "^" { take() }
                if index < scalars.count, scalars[index] == "]" { take() }
            } else if scalar == "." {
                result += #"[\s\S]"#.unicodeScalars
                index += 1
            } else {
                take()
            }
        }
        return String(result)
    }

    /// The regex matching what `node` matches with ASCII letters in either case (Lark's `"..."i`
    /// and `/.../i`).
    static func caseInsensitive(_ node: RegexNode) -> RegexNode {
        switch node {
        case .empty, .never, .bytes:
            return node
        case .literal(let text):
            var parts: [RegexNode] = []
            var plain = ""
            for scalar in text.unicodeScalars {
                guard let other = otherCase(scalar.value) else { plain.unicodeScalars.append(scalar); continue }
                if !plain.isEmpty { parts.append(.literal(plain)); plain = "" }
                parts.append(.scalars(ScalarRangeSet(ranges: [scalar.value...scalar.value, other...other]).ranges))
            }
            if !plain.isEmpty { parts.append(.literal(plain)) }
            return parts.count == 1 ? parts[0] : .concat(parts)
        case .scalars(let ranges):
            var added: [ClosedRange<UInt32>] = ranges
            for (low, high) in [(UInt32(0x41), UInt32(0x5A)), (0x61, 0x7A)] {
                for range in ranges where range.overlaps(low...high) {
                    if let lower = otherCase(max(range.lowerBound, low)), let upper = otherCase(min(range.upperBound, high)) {
                        added.append(lower...upper)
                    }
                }
            }
            return .scalars(ScalarRangeSet(ranges: added).ranges)
        case .concat(let parts):
            return .concat(parts.map(caseInsensitive))
        case .alternation(let branches):
            return .alternation(branches.map(caseInsensitive))
        case .repetition(let body, let min, let max):
            return .repetition(caseInsensitive(body), min: min, max: max)
        }
    }

    /// The other case of an ASCII letter.
    private static func otherCase(_ value: UInt32) -> UInt32? {
        switch value {
        case 0x41...0x5A: return value + 0x20
        case 0x61...0x7A: return value - 0x20
        default: return nil
        }
    }
}
