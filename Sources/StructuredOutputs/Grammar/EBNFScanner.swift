/// A cursor over a grammar text's Unicode scalars, with what the EBNF and Lark parsers share:
/// spaces and comments, names, integers, escapes, and errors that carry the line and column.
struct EBNFScanner {
    let scalars: [Unicode.Scalar]
    private(set) var position = 0
    /// `#` comments (both dialects) and `//` comments (Lark).
    let slashComments: Bool

    init(_ text: String, slashComments: Bool) {
        scalars = Array(text.unicodeScalars)
        self.slashComments = slashComments
    }

    var atEnd: Bool { position >= scalars.count }
    var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    func peek(at distance: Int) -> Unicode.Scalar? {
        position + distance < scalars.count ? scalars[position + distance] : nil
    }

    mutating func advance(_ count: Int = 1) { position = min(position + count, scalars.count) }

    mutating func reset(to position: Int) { self.position = position }

    /// Whether the text at the cursor starts with `text` (ASCII).
    func looksAt(_ text: String) -> Bool {
        var offset = position
        for scalar in text.unicodeScalars {
            guard offset < scalars.count, scalars[offset] == scalar else { return false }
            offset += 1
        }
        return true
    }

    /// Moves past `text` when the cursor is at it.
    mutating func consume(_ text: String) -> Bool {
        guard looksAt(text) else { return false }
        advance(text.unicodeScalars.count)
        return true
    }

    /// Skips spaces, tabs, comments and (when `newlines`) line breaks; a comment runs to the end
    /// of its line and leaves the line break. Returns whether it passed a line break.
    @discardableResult
    mutating func skipSpace(newlines: Bool = true) -> Bool {
        var passedNewline = false
        while let scalar = peek {
            switch scalar {
            case " ", "\t":
                advance()
            case "\n", "\r":
                guard newlines else { return passedNewline }
                passedNewline = true
                advance()
            case "#":
                skipToEndOfLine()
            case "/" where slashComments && peek(at: 1) == "/":
                skipToEndOfLine()
            default:
                return passedNewline
            }
        }
        return passedNewline
    }

    private mutating func skipToEndOfLine() {
        while let scalar = peek, scalar != "\n", scalar != "\r" { advance() }
    }

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        isNameLetter(scalar) || scalar == "_" || scalar == "-"
    }

    static func isNameLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// A rule name: ASCII letters, digits, `_` and `-`, and (not first) `.` when `dots`.
    mutating func readName(dots: Bool) -> String? {
        let start = position
        while let scalar = peek,
              Self.isNameLetter(scalar) || scalar == "_" || scalar == "-" || (dots && scalar == "." && position > start) {
            advance()
        }
        // A trailing dot belongs to what follows (`a.` is the name `a` then `.`).
        while dots, position > start + 1, scalars[position - 1] == "." { position -= 1 }
        return position > start ? String(String.UnicodeScalarView(scalars[start..<position])) : nil
    }

    /// A decimal integer up to `limit`; nil when there is no digit here.
    mutating func readInteger(limit: Int) throws(GrammarSyntaxError) -> Int? {
        let start = position
        var value = 0
        while let scalar = peek, ("0"..."9").contains(scalar) {
            value = value * 10 + Int(scalar.value - 48)
            guard value <= limit else { throw error(.tooLarge, "a repetition count above \(limit)", at: start) }
            advance()
        }
        return position > start ? value : nil
    }

    /// The text of the string literal `"..."` at the cursor, escapes read; no raw line breaks.
    mutating func readString() throws(GrammarSyntaxError) -> String.UnicodeScalarView {
        let start = position
        guard consume("\"") else { throw error(.invalid, "expected a string", at: start) }
        var text = String.UnicodeScalarView()
        while true {
            guard let scalar = peek, scalar != "\n", scalar != "\r" else {
                throw error(.invalid, "unterminated string (write a line break as \\n)", at: start)
            }
            let offset = position
            advance()
            if scalar == "\"" { return text }
            text.append(scalar == "\\" ? try self.scalar(try readEscape(), at: offset) : scalar)
        }
    }

    /// The scalar value of an escape, the cursor just past its backslash. Letters: `\n \r \t \b \f
    /// \a \v \0 \e`, `\xH...` (1 to 8 hex digits), `\uHHHH`, `\UHHHHHHHH`; any ASCII punctuation
    /// stands for itself. The caller checks that the value is a scalar.
    mutating func readEscape() throws(GrammarSyntaxError) -> UInt32 {
        let start = position - 1
        guard let letter = peek else { throw error(.invalid, "an escape with nothing after the backslash", at: start) }
        advance()
        switch letter {
        case "n": return 0x0A
        case "r": return 0x0D
        case "t": return 0x09
        case "b": return 0x08
        case "f": return 0x0C
        case "a": return 0x07
        case "v": return 0x0B
        case "0": return 0x00
        case "e": return 0x1B
        case "x": return try readHex(min: 1, max: 8, escapeStart: start)
        case "u": return try readHex(min: 4, max: 4, escapeStart: start)
        case "U": return try readHex(min: 8, max: 8, escapeStart: start)
        default:
            if letter.isASCII, !Self.isNameLetter(letter), letter.value >= 0x21, letter.value < 0x7F { return letter.value }
            throw error(.invalid, "unknown escape '\\\(Character(letter))'", at: start)
        }
    }

    private mutating func readHex(min: Int, max: Int, escapeStart: Int) throws(GrammarSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        var count = 0
        while count < max, let scalar = peek, let digit = Self.hexValue(scalar) {
            value = value << 4 | digit
            count += 1
            advance()
        }
        guard count >= min else {
            throw error(.invalid, "the escape needs \(min == max ? "exactly \(min)" : "at least \(min)") hex digit\(min == 1 ? "" : "s")", at: escapeStart)
        }
        return value
    }

    static func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        scalar.isASCII ? UInt32(String(Character(scalar)), radix: 16) : nil
    }

    /// `value` as a scalar, or an error at `offset` for surrogates and values past U+10FFFF.
    func scalar(_ value: UInt32, at offset: Int) throws(GrammarSyntaxError) -> Unicode.Scalar {
        guard let scalar = Unicode.Scalar(value) else {
            throw error(.invalid, "U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value", at: offset)
        }
        return scalar
    }

    /// An error at `offset` with its line and column.
    func error(_ kind: GrammarSyntaxError.Kind, _ message: String, at offset: Int) -> GrammarSyntaxError {
        let offset = min(max(offset, 0), scalars.count)
        let (line, column) = location(offset)
        return GrammarSyntaxError(kind, message, offset: offset, line: line, column: column)
    }

    /// The 1-based line and column of `offset` (a line ends at LF, CR LF or CR).
    func location(_ offset: Int) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, scalars.count) {
            if scalars[index] == "\n" || (scalars[index] == "\r" && (index + 1 >= scalars.count || scalars[index + 1] != "\n")) {
                line += 1
                lineStart = index + 1
            }
        }
        return (line, offset - lineStart + 1)
    }

    /// How a scalar reads in a message: `'x'`, or `U+000A` for controls, or "the end of the text".
    func describe(_ scalar: Unicode.Scalar?) -> String {
        guard let scalar else { return "the end of the text" }
        if scalar.value < 0x20 || scalar.value == 0x7F {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return "'\(Character(scalar))'"
    }
}
