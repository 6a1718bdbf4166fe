/// The predefined classes of each flavor. Choices (also in `RegexSyntax`'s documentation):
/// - `\d` is [0-9] and `\w` is [A-Za-z0-9_] in both flavors: what ECMAScript means, and what
///   Python means under `re.ASCII` (Python's default Unicode `\d` would let a model write digits of
///   other scripts where a schema or tool expects ASCII ones).
/// - `\s` is each flavor's own set: ECMAScript's WhiteSpace and LineTerminator scalars; Python's
///   ASCII [ \t\n\r\f\v].
/// - `.` is any scalar but ECMAScript's line terminators (\n \r U+2028 U+2029), or but \n in Python.
enum RegexClasses {
    static let digit = ScalarRangeSet(ranges: [0x30...0x39])
    static let word = ScalarRangeSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])

    static func space(_ flavor: RegexFlavor) -> ScalarRangeSet {
        switch flavor {
        case .python:
            return ScalarRangeSet(ranges: [0x09...0x0D, 0x20...0x20])
        case .ecmascript:
            return ScalarRangeSet(ranges: [
                0x09...0x0D, 0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
                0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF,
            ])
        }
    }

    static func dot(_ flavor: RegexFlavor) -> ScalarRangeSet {
        switch flavor {
        case .python:
            return ScalarRangeSet(ranges: [0x0A...0x0A]).inverted()
        case .ecmascript:
            return ScalarRangeSet(ranges: [0x0A...0x0A, 0x0D...0x0D, 0x2028...0x2029]).inverted()
        }
    }

    /// The class of `\d \D \w \W \s \S`, or nil for another letter.
    static func escape(_ letter: Unicode.Scalar, _ flavor: RegexFlavor) -> ScalarRangeSet? {
        switch letter {
        case "d": return digit
        case "D": return digit.inverted()
        case "w": return word
        case "W": return word.inverted()
        case "s": return space(flavor)
        case "S": return space(flavor).inverted()
        default: return nil
        }
    }
}
