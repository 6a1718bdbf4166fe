/// Python string operations on unicode scalars (Python strings index code points).
enum StringOps {
    /// Python's `str.isspace` set: Unicode White_Space plus the separators U+001C...U+001F.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x1C && scalar.value <= 0x1F) || scalar.properties.isWhitespace
    }

    static func strip(_ s: String, chars: String?, leading: Bool, trailing: Bool) -> String {
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set?.contains(c) ?? isWhitespace(c) }
        let scalars = Array(s.unicodeScalars)
        var start = 0, end = scalars.count
        if leading { while start < end, strippable(scalars[start]) { start += 1 } }
        if trailing { while end > start, strippable(scalars[end - 1]) { end -= 1 } }
        if start == 0 && end == scalars.count { return s }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[start..<end])
        return String(out)
    }

    static func split(_ s: String, separator: String?, maxSplit: Int) throws -> [String] {
        guard let separator else {
            var parts: [String] = []
            var current = String.UnicodeScalarView()
            var inWord = false
            var scalars = Array(s.unicodeScalars)[...]
            while let c = scalars.first {
                if isWhitespace(c) {
                    if inWord {
                        parts.append(String(current)); current = String.UnicodeScalarView(); inWord = false
                        if maxSplit >= 0 && parts.count >= maxSplit {
                            let rest = strip(String(String.UnicodeScalarView(scalars)), chars: nil, leading: true, trailing: false)
                            if !rest.isEmpty { parts.append(rest) }
                            return parts
                        }
                    }
                } else {
                    current.append(c); inWord = true
                }
                scalars = scalars.dropFirst()
            }
            if inWord { parts.append(String(current)) }
            return parts
        }
        guard !separator.isEmpty else { throw EvalFailure.type("empty separator") }
        let hay = Array(s.utf8), needle = Array(separator.utf8)
        var parts: [String] = []
        var start = 0, i = 0
        while i + needle.count <= hay.count {
            if (maxSplit < 0 || parts.count < maxSplit) && hay[i..<i + needle.count].elementsEqual(needle) {
                parts.append(String(decoding: hay[start..<i], as: UTF8.self))
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: hay[start...], as: UTF8.self))
        return parts
    }

    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        let hay = Array(s.utf8), needle = Array(old.utf8)
        var out: [UInt8] = []
        var i = 0, done = 0
        if needle.isEmpty {
            // Python inserts `new` between every character (and at both ends).
            var result = ""
            for (k, scalar) in s.unicodeScalars.enumerated() {
                if count < 0 || k < count { result += new }
                result.unicodeScalars.append(scalar)
            }
            if count < 0 || s.unicodeScalars.count < count { result += new }
            return result
        }
        while i < hay.count {
            if (count < 0 || done < count), i + needle.count <= hay.count, hay[i..<i + needle.count].elementsEqual(needle) {
                out.append(contentsOf: new.utf8)
                i += needle.count
                done += 1
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func find(_ s: String, _ needle: String) -> Int {
        let hay = Array(s.unicodeScalars), n = Array(needle.unicodeScalars)
        if n.isEmpty { return 0 }
        var i = 0
        while i + n.count <= hay.count {
            if hay[i..<i + n.count].elementsEqual(n) { return i }
            i += 1
        }
        return -1
    }

    static func count(_ s: String, _ needle: String) -> Int {
        let hay = Array(s.unicodeScalars), n = Array(needle.unicodeScalars)
        if n.isEmpty { return hay.count + 1 }
        var i = 0, found = 0
        while i + n.count <= hay.count {
            if hay[i..<i + n.count].elementsEqual(n) { found += 1; i += n.count } else { i += 1 }
        }
        return found
    }

    static func capitalize(_ s: String) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        return String(first).uppercased() + String(String.UnicodeScalarView(s.unicodeScalars.dropFirst())).lowercased()
    }

    /// Python `str.title()`: a letter following a cased letter is lowered, others are raised.
    static func pythonTitle(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for scalar in s.unicodeScalars {
            let cased = scalar.properties.isCased
            out += previousCased ? String(scalar).lowercased() : String(scalar).uppercased()
            previousCased = cased
        }
        return out
    }

    /// jinja2's `title` filter: words split at whitespace and `-([{<`, each capitalized.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var atWordStart = true
        for scalar in s.unicodeScalars {
            let boundary = isWhitespace(scalar) || "-([{<".unicodeScalars.contains(scalar)
            out += atWordStart ? String(scalar).uppercased() : String(scalar).lowercased()
            atWordStart = boundary
        }
        return out
    }

    /// `'{} {}'.format(a, b)` with automatic or explicit positional fields.
    static func format(_ s: String, _ args: [Value]) throws -> String {
        var out = ""
        var auto = 0
        var chars = Array(s)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" { out.append("{"); chars = chars.dropFirst(); continue }
                guard let close = chars.firstIndex(of: "}") else { throw EvalFailure.type("Single '{' encountered in format string") }
                let field = String(chars[chars.startIndex..<close])
                chars = chars[(close + 1)...]
                let index: Int
                if field.isEmpty { index = auto; auto += 1 } else if let i = Int(field) { index = i } else {
                    throw EvalFailure.type("format field '\(field)' is not supported")
                }
                guard index >= 0, index < args.count else { throw EvalFailure.type("Replacement index \(index) out of range") }
                out += try ValueFormatting.str(args[index])
            } else if c == "}" {
                if chars.first == "}" { chars = chars.dropFirst() }
                out.append("}")
            } else {
                out.append(c)
            }
        }
        return out
    }
}
