extension TemplateLexer {
    private static let twoCharOperators: Set<String> = ["//", "**", "==", "!=", ">=", "<="]
    private static let oneCharOperators: Set<UInt8> = Set("+-*/%~<>=.,:|()[]{}".utf8)

    private static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_")
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Lexes one token inside `{{ }}` or `{% %}`, tracking bracket balance so `}}` inside a dict literal
    /// does not end the tag.
    mutating func lexExpressionToken(brackets: inout [UInt8]) throws {
        let c = src[pos]
        if TemplateLexer.isNameStart(c) {
            let start = pos
            while pos < src.count, TemplateLexer.isNameStart(src[pos]) || TemplateLexer.isDigit(src[pos]) { pos += 1 }
            tokens.append(Token(kind: .name(text(start..<pos)), line: line))
            return
        }
        if TemplateLexer.isDigit(c) {
            try lexNumber()
            return
        }
        if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
            try lexString(quote: c)
            return
        }
        if pos + 1 < src.count {
            let two = text(pos..<pos + 2)
            if TemplateLexer.twoCharOperators.contains(two) {
                tokens.append(Token(kind: .op(two), line: line))
                pos += 2
                return
            }
        }
        guard TemplateLexer.oneCharOperators.contains(c) else {
            throw syntax("unexpected character '\(String(decoding: [c], as: UTF8.self))'")
        }
        switch c {
        case UInt8(ascii: "("): brackets.append(UInt8(ascii: ")"))
        case UInt8(ascii: "["): brackets.append(UInt8(ascii: "]"))
        case UInt8(ascii: "{"): brackets.append(UInt8(ascii: "}"))
        case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
            guard let expected = brackets.popLast() else { throw syntax("unexpected '\(Character(Unicode.Scalar(c)))'") }
            if expected != c {
                throw syntax("unexpected '\(Character(Unicode.Scalar(c)))', expected '\(Character(Unicode.Scalar(expected)))'")
            }
        default: break
        }
        tokens.append(Token(kind: .op(String(Character(Unicode.Scalar(c)))), line: line))
        pos += 1
    }

    private mutating func lexNumber() throws {
        let start = pos
        var isFloat = false
        func digits() {
            while pos < src.count, TemplateLexer.isDigit(src[pos]) || (src[pos] == UInt8(ascii: "_") && TemplateLexer.isDigit(at(pos + 1))) {
                pos += 1
            }
        }
        digits()
        if at(pos) == UInt8(ascii: "."), TemplateLexer.isDigit(at(pos + 1)) {
            isFloat = true
            pos += 1
            digits()
        }
        if at(pos) == UInt8(ascii: "e") || at(pos) == UInt8(ascii: "E") {
            var p = pos + 1
            if at(p) == UInt8(ascii: "+") || at(p) == UInt8(ascii: "-") { p += 1 }
            if TemplateLexer.isDigit(at(p)) {
                isFloat = true
                pos = p
                digits()
            }
        }
        let literal = String(text(start..<pos).filter { $0 != "_" })
        if isFloat {
            guard let d = Double(literal) else { throw syntax("invalid float literal '\(literal)'") }
            tokens.append(Token(kind: .float(d), line: line))
        } else {
            guard let i = Int(literal) else { throw syntax("integer literal '\(literal)' is too large") }
            tokens.append(Token(kind: .integer(i), line: line))
        }
    }

    /// A quoted string with Python escapes (`\n`, `\t`, `\\`, `\'`, `\"`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`).
    private mutating func lexString(quote: UInt8) throws {
        let startLine = line
        pos += 1
        var out: [UInt8] = []
        while true {
            guard pos < src.count else {
                throw TemplateError.syntax(message: "unterminated string literal", line: startLine)
            }
            let b = src[pos]
            if b == quote { pos += 1; break }
            if b == 0x0A { line += 1 }
            if b != UInt8(ascii: "\\") { out.append(b); pos += 1; continue }
            let e = at(pos + 1)
            pos += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "0"): out.append(0x00)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
            case 0x0A: line += 1  // backslash-newline continues the line
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let count = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
                guard pos + count <= src.count, let code = UInt32(text(pos..<pos + count), radix: 16),
                      let scalar = Unicode.Scalar(code)
                else { throw syntax("invalid escape in string literal") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
                pos += count
            default:
                // Python keeps unknown escapes verbatim.
                out.append(UInt8(ascii: "\\"))
                if e != 0 { out.append(e) }
            }
        }
        tokens.append(Token(kind: .string(String(decoding: out, as: UTF8.self)), line: startLine))
    }
}
