/// Splits template source into tokens with jinja2's whitespace rules for
/// `trim_blocks=True, lstrip_blocks=True`: `-` strips all whitespace on its side, `+` keeps it,
/// a block or comment tag alone on a line loses its indentation and the newline after it,
/// and one trailing newline of the template is dropped.
struct TemplateLexer {
    private(set) var src: [UInt8]
    var pos = 0
    var line = 1
    private var lineStarting = true
    var tokens: [Token] = []

    init(source: String) {
        // jinja2 normalizes \r\n and \r to \n and drops one trailing newline.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.utf8.count)
        var previousCR = false
        for b in source.utf8 {
            if b == 0x0D { bytes.append(0x0A); previousCR = true; continue }
            if b == 0x0A && previousCR { previousCR = false; continue }
            previousCR = false
            bytes.append(b)
        }
        if bytes.last == 0x0A { bytes.removeLast() }
        src = bytes
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C }

    func at(_ i: Int) -> UInt8 { i < src.count ? src[i] : 0 }

    func text(_ range: Range<Int>) -> String { String(decoding: src[range], as: UTF8.self) }

    func syntax(_ message: String) -> TemplateError { .syntax(message: message, line: line) }

    private mutating func advanceCountingLines(to newPos: Int) {
        for i in pos..<newPos where src[i] == 0x0A { line += 1 }
        pos = newPos
    }

    mutating func tokenize() throws -> [Token] {
        while pos < src.count {
            // Find the next tag opener.
            var i = pos
            var opener: UInt8 = 0
            while i + 1 < src.count {
                if src[i] == UInt8(ascii: "{") {
                    let c = src[i + 1]
                    if c == UInt8(ascii: "{") || c == UInt8(ascii: "%") || c == UInt8(ascii: "#") { opener = c; break }
                }
                i += 1
            }
            if opener == 0 {
                emitText(pos..<src.count)
                advanceCountingLines(to: src.count)
                break
            }
            let modifier = at(i + 2)
            var textEnd = i
            let isRaw = opener == UInt8(ascii: "%") && rawTagLength(at: i) != nil
            if modifier == UInt8(ascii: "-") {
                while textEnd > pos, TemplateLexer.isSpace(src[textEnd - 1]) { textEnd -= 1 }
            } else if modifier != UInt8(ascii: "+") && opener != UInt8(ascii: "{") {
                textEnd = lstripEnd(textStart: pos, tagStart: i)
            }
            emitText(pos..<textEnd)
            advanceCountingLines(to: i)
            if isRaw {
                try lexRaw()
            } else if opener == UInt8(ascii: "#") {
                try lexComment()
            } else {
                try lexTag(isBlock: opener == UInt8(ascii: "%"))
            }
        }
        tokens.append(Token(kind: .end, line: line))
        return tokens
    }

    /// Where text before a block tag ends once lstrip_blocks removes indentation on the tag's line.
    private func lstripEnd(textStart: Int, tagStart: Int) -> Int {
        var lineStart = tagStart
        while lineStart > textStart, src[lineStart - 1] != 0x0A { lineStart -= 1 }
        guard lineStart > textStart || lineStarting else {
            return tagStart
        }
        if lineStart == tagStart { return tagStart }
        for j in lineStart..<tagStart where !TemplateLexer.isSpace(src[j]) { return tagStart }
        return lineStart
    }

    private mutating func emitText(_ range: Range<Int>) {
        if !range.isEmpty { tokens.append(Token(kind: .text(text(range)), line: line)) }
    }

    /// Consumes the rest of a block end: `-` strips following whitespace, `+` keeps it, else one newline goes.
    private mutating func finishTagEnd(at endPos: Int, stripSign: UInt8, trimNewline: Bool) {
        var p = endPos
        if stripSign == UInt8(ascii: "-") {
            while p < src.count, TemplateLexer.isSpace(src[p]) { p += 1 }
        } else if stripSign != UInt8(ascii: "+"), trimNewline, at(p) == 0x0A {
            p += 1
        }
        lineStarting = p > 0 && src[p - 1] == 0x0A
        advanceCountingLines(to: p)
    }

    private mutating func lexComment() throws {
        var j = pos + 2
        while j + 1 < src.count, !(src[j] == UInt8(ascii: "#") && src[j + 1] == UInt8(ascii: "}")) { j += 1 }
        guard j + 1 < src.count else { throw syntax("missing end of comment tag") }
        let sign = j > pos + 2 ? src[j - 1] : 0
        finishTagEnd(at: j + 2, stripSign: sign, trimNewline: true)
    }

    /// Length of `{% raw %}` (with modifiers) starting at `i`, if that is what is there.
    private func rawTagLength(at i: Int) -> Int? {
        var p = i + 2
        if at(p) == UInt8(ascii: "-") || at(p) == UInt8(ascii: "+") { p += 1 }
        while p < src.count, TemplateLexer.isSpace(src[p]) { p += 1 }
        guard at(p) == UInt8(ascii: "r"), at(p + 1) == UInt8(ascii: "a"), at(p + 2) == UInt8(ascii: "w") else { return nil }
        p += 3
        while p < src.count, TemplateLexer.isSpace(src[p]) { p += 1 }
        if at(p) == UInt8(ascii: "-") { p += 1 }
        guard at(p) == UInt8(ascii: "%"), at(p + 1) == UInt8(ascii: "}") else { return nil }
        return p + 2 - i
    }

    private mutating func lexRaw() throws {
        guard let length = rawTagLength(at: pos) else { throw syntax("malformed raw tag") }
        var start = pos + length
        if src[start - 3] == UInt8(ascii: "-") {
            while start < src.count, TemplateLexer.isSpace(src[start]) { start += 1 }
        }
        advanceCountingLines(to: start)
        var j = pos
        while j + 1 < src.count {
            if src[j] == UInt8(ascii: "{"), src[j + 1] == UInt8(ascii: "%") {
                var p = j + 2
                let sign = at(p)
                if sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { p += 1 }
                while p < src.count, TemplateLexer.isSpace(src[p]) { p += 1 }
                if text(p..<min(p + 6, src.count)) == "endraw" {
                    p += 6
                    while p < src.count, TemplateLexer.isSpace(src[p]) { p += 1 }
                    var endSign: UInt8 = 0
                    if at(p) == UInt8(ascii: "-") || at(p) == UInt8(ascii: "+") { endSign = src[p]; p += 1 }
                    if at(p) == UInt8(ascii: "%"), at(p + 1) == UInt8(ascii: "}") {
                        var textEnd = j
                        if sign == UInt8(ascii: "-") {
                            while textEnd > pos, TemplateLexer.isSpace(src[textEnd - 1]) { textEnd -= 1 }
                        } else if sign != UInt8(ascii: "+") {
                            textEnd = lstripEnd(textStart: pos, tagStart: j)
                        }
                        emitText(pos..<textEnd)
                        advanceCountingLines(to: p)
                        finishTagEnd(at: p + 2, stripSign: endSign, trimNewline: true)
                        return
                    }
                }
            }
            j += 1
        }
        throw syntax("missing end of raw directive")
    }

    private mutating func lexTag(isBlock: Bool) throws {
        let startLine = line
        tokens.append(Token(kind: isBlock ? .blockBegin : .variableBegin, line: line))
        pos += 2
        if at(pos) == UInt8(ascii: "-") || at(pos) == UInt8(ascii: "+") { pos += 1 }
        var brackets: [UInt8] = []
        let close = isBlock ? UInt8(ascii: "%") : UInt8(ascii: "}")
        while true {
            while pos < src.count, TemplateLexer.isSpace(src[pos]) {
                if src[pos] == 0x0A { line += 1 }
                pos += 1
            }
            guard pos < src.count else {
                throw TemplateError.syntax(
                    message: "unexpected end of template, expected '\(isBlock ? "end of statement block" : "end of print statement")'",
                    line: startLine)
            }
            if brackets.isEmpty {
                let c = src[pos]
                var sign: UInt8 = 0
                var p = pos
                if (c == UInt8(ascii: "-") || (isBlock && c == UInt8(ascii: "+"))) && at(pos + 1) == close && at(pos + 2) == UInt8(ascii: "}") {
                    sign = c; p += 1
                }
                if at(p) == close, at(p + 1) == UInt8(ascii: "}") {
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, line: line))
                    finishTagEnd(at: p + 2, stripSign: sign, trimNewline: isBlock)
                    return
                }
            }
            try lexExpressionToken(brackets: &brackets)
        }
    }
}
