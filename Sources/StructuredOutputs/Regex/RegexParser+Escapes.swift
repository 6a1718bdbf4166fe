/// Escapes and character classes.
extension RegexParser {
    /// What an escape stands for.
    enum Escape {
        /// One scalar value (possibly a lone surrogate, which matches nothing).
        case scalar(UInt32)
        case set(ScalarRangeSet)
        case start
        case end
    }

    /// The escape at the backslash here, consumed.
    mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> Escape {
        let start = position
        position += 1
        guard let letter = peek else {
            throw error(.invalid, "bad escape (end of pattern)", at: start)
        }
        position += 1
        let python = flavor == .python
        if let set = RegexClasses.escape(letter, flavor) { return .set(set) }
        switch letter {
        case "n": return .scalar(0x0A)
        case "t": return .scalar(0x09)
        case "r": return .scalar(0x0D)
        case "f": return .scalar(0x0C)
        case "v": return .scalar(0x0B)
        case "a" where python: return .scalar(0x07)
        case "b" where inClass: return .scalar(0x08)
        case "b", "B":  // `\b` in a class (backspace) is handled above
            guard !inClass else { throw error(.invalid, "bad escape \\B", at: start) }
            throw error(.unsupported, "word boundaries (\\\(letter)) are not supported", at: start)
        case "A" where python && !inClass: return .start
        case "Z" where python && !inClass, "z" where python && !inClass: return .end
        case "x": return .scalar(try hexDigits(2, escape: start))
        case "u" where python: return .scalar(try hexDigits(4, escape: start))
        case "U" where python:
            let value = try hexDigits(8, escape: start)
            guard value <= ScalarRangeSet.maxScalar else { throw error(.invalid, "bad escape \\U", at: start) }
            return .scalar(value)
        case "u": return .scalar(try ecmaUnicodeEscape(escape: start))
        case "c" where !python:
            guard let control = peek, control.isASCII, control.properties.isAlphabetic else {
                throw error(.invalid, "\\c must be followed by a letter", at: start)
            }
            position += 1
            return .scalar(control.value % 32)
        case "N" where python:
            throw error(.unsupported, "named characters (\\N{...}) are not supported", at: start)
        case "p" where !python, "P" where !python:
            throw error(.unsupported, "Unicode property escapes (\\\(letter){...}) are not supported", at: start)
        case "k" where !python:
            throw error(.unsupported, "backreferences are not supported", at: start)
        case "0"..."9":
            return try numericEscape(letter, inClass: inClass, escape: start)
        default:
            if letter.isASCII && (letter.properties.isAlphabetic || ("0"..."9").contains(letter)) {
                throw error(.invalid, "bad escape \\\(letter)", at: start)
            }
            return .scalar(letter.value)
        }
    }

    /// `\0`, Python's octal escapes, or a backreference (unsupported).
    private mutating func numericEscape(
        _ first: Unicode.Scalar, inClass: Bool, escape: Int
    ) throws(RegexSyntaxError) -> Escape {
        func octal(_ scalar: Unicode.Scalar?) -> UInt32? {
            guard let scalar, ("0"..."7").contains(scalar) else { return nil }
            return scalar.value - 0x30
        }
        switch flavor {
        case .python:
            if first == "0" {
                var value: UInt32 = 0
                for _ in 0..<2 {
                    guard let digit = octal(peek) else { break }
                    value = value * 8 + digit
                    position += 1
                }
                return .scalar(value)
            }
            if let a = octal(first), let b = octal(peek), let c = octal(peek(1)) {
                position += 2
                let value = a * 64 + b * 8 + c
                guard value <= 0o377 else {
                    throw error(.invalid, "octal escape value outside of range 0-0o377", at: escape)
                }
                return .scalar(value)
            }
        case .ecmascript:
            if first == "0" {
                guard let next = peek, ("0"..."9").contains(next) else { return .scalar(0) }
                throw error(.invalid, "invalid decimal escape", at: escape)
            }
        }
        if inClass { throw error(.invalid, "bad escape \\\(first)", at: escape) }
        throw error(.unsupported, "backreferences are not supported", at: escape)
    }

    /// Exactly `count` hex digits after the escape letter.
    private mutating func hexDigits(_ count: Int, escape: Int) throws(RegexSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let digit = peek.flatMap(hexValue) else {
                throw error(.invalid, "incomplete escape \\\(pattern[escape + 1])", at: escape)
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": return scalar.value - 0x30
        case "a"..."f": return scalar.value - 0x61 + 10
        case "A"..."F": return scalar.value - 0x41 + 10
        default: return nil
        }
    }

    /// ECMAScript `\u{H...}` or `\uHHHH`, joining a `\uHHHH\uHHHH` surrogate pair into one scalar.
    private mutating func ecmaUnicodeEscape(escape: Int) throws(RegexSyntaxError) -> UInt32 {
        if peek == "{" {
            position += 1
            var value: UInt32 = 0
            var numDigits = 0
            while let digit = peek.flatMap(hexValue) {
                value = value * 16 + digit
                numDigits += 1
                position += 1
                guard value <= ScalarRangeSet.maxScalar else { break }
            }
            guard numDigits > 0, value <= ScalarRangeSet.maxScalar, peek == "}" else {
                throw error(.invalid, "bad escape \\u{...}", at: escape)
            }
            position += 1
            return value
        }
        let value = try hexDigits(4, escape: escape)
        if (0xD800...0xDBFF).contains(value), peek == "\\", peek(1) == "u" {
            let resume = position
            position += 2
            if let low = try? hexDigits(4, escape: resume), (0xDC00...0xDFFF).contains(low) {
                return 0x10000 + (value - 0xD800) << 10 + (low - 0xDC00)
            }
            position = resume
        }
        return value
    }

    /// A class `[...]` as the set of scalars it matches.
    mutating func parseClass() throws(RegexSyntaxError) -> ScalarRangeSet {
        let open = position
        position += 1
        var negated = false
        if peek == "^" {
            negated = true
            position += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var sets: [ScalarRangeSet] = []
        var isFirst = true
        while true {
            guard let scalar = peek else { throw error(.invalid, "unterminated character set", at: open) }
            if scalar == "]" && !(isFirst && flavor == .python) {
                position += 1
                break
            }
            isFirst = false
            let atomStart = position
            let low = try parseClassAtom()
            if peek == "-", let after = peek(1), after != "]" {
                position += 1
                let high = try parseClassAtom()
                guard case .scalar(let lowValue) = low, case .scalar(let highValue) = high else {
                    throw error(.invalid, "bad character range", at: atomStart)
                }
                guard lowValue <= highValue else { throw error(.invalid, "bad character range", at: atomStart) }
                ranges.append(lowValue...highValue)
                continue
            }
            switch low {
            case .scalar(let value): ranges.append(value...value)
            case .set(let set): sets.append(set)
            case .start, .end: break
            }
        }
        var set = ScalarRangeSet(ranges: ranges + sets.flatMap(\.ranges))
        if negated { set = set.inverted() }
        return set
    }

    private mutating func parseClassAtom() throws(RegexSyntaxError) -> Escape {
        guard let scalar = peek else { throw error(.invalid, "unterminated character set", at: position) }
        if scalar == "\\" { return try parseEscape(inClass: true) }
        position += 1
        return .scalar(scalar.value)
    }
}
