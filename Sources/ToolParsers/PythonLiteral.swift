import SwiftletJSON

/// A Python literal as a JSON value, as `json.dumps` would write what `ast` reads from it (vLLM's
/// pythonic parser): strings ('...' or "...", adjacent ones joined), ints (decimal, 0x, 0o, 0b,
/// underscores), floats, True, False, None, lists and dicts (a repeated key keeps its first place and
/// its last value; keys that are numbers, True, False or None become strings as `json.dumps` makes
/// them). Nil for anything else: tuples, sets, calls, names, bytes, complex numbers, f-strings.
///
/// Unlike vLLM, a leading `-` or `+` on a number is read (Python's `ast` sees an operator there, and
/// vLLM refuses the call).
struct PythonLiteral {
    static let maxDepth = 64

    let scalars: [Unicode.Scalar]
    var index = 0
    private var depth = 0

    /// The value of `text`, a complete literal with optional whitespace around it, or nil.
    static func parse(_ text: ArraySlice<Unicode.Scalar>) -> JSONValue? {
        var reader = PythonLiteral(scalars: Array(text))
        guard let value = reader.value() else { return nil }
        reader.skipSpace()
        return reader.index == reader.scalars.count ? value : nil
    }

    private init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    mutating func skipSpace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { index += 1 }
    }

    private mutating func value() -> JSONValue? {
        skipSpace()
        guard let first = current else { return nil }
        switch first {
        case "'", "\"": return string()
        case "[", "{":
            guard depth < Self.maxDepth else { return nil }
            depth += 1
            defer { depth -= 1 }
            index += 1
            return first == "[" ? list() : dict()
        default:
            if first.properties.isAlphabetic || first == "_" { return word() }
            return number()
        }
    }

    private mutating func word() -> JSONValue? {
        let start = index
        while let scalar = current, scalar.properties.isAlphabetic || scalar == "_" || ("0"..."9").contains(scalar) { index += 1 }
        switch ScalarText.string(scalars[start..<index]) {
        case "True": return .bool(true)
        case "False": return .bool(false)
        case "None": return .null
        default: return nil
        }
    }

    /// Elements up to `]` (a trailing comma allowed).
    private mutating func list() -> JSONValue? {
        var items: [JSONValue] = []
        while true {
            skipSpace()
            if current == "]" {
                index += 1
                return .array(items)
            }
            guard let item = value() else { return nil }
            items.append(item)
            guard separator(closing: "]") else { return nil }
        }
    }

    private mutating func dict() -> JSONValue? {
        var object = JSONObject()
        while true {
            skipSpace()
            if current == "}" {
                index += 1
                return .object(object)
            }
            guard let keyValue = value(), let key = Self.keyText(keyValue) else { return nil }
            skipSpace()
            guard current == ":" else { return nil }
            index += 1
            guard let item = value() else { return nil }
            object = Self.setting(key, to: item, in: object)
            guard separator(closing: "}") else { return nil }
        }
    }

    /// After an element: a comma, or the closing bracket (left for the caller).
    private mutating func separator(closing: Unicode.Scalar) -> Bool {
        skipSpace()
        if current == "," {
            index += 1
            return true
        }
        return current == closing
    }

    /// A dict key as `json.dumps` writes it: strings as they are, numbers as Python prints them,
    /// True/False/None as JSON's words; nil for lists and dicts (unhashable in Python).
    private static func keyText(_ key: JSONValue) -> String? {
        switch key {
        case .string(let text): return text
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return nil
        }
    }

    /// A Python dict assignment: an existing key keeps its place and takes the new value.
    static func setting(_ key: String, to value: JSONValue, in object: JSONObject) -> JSONObject {
        guard let existing = object.lastIndex(ofKey: key) else {
            var object = object
            object.append(value, forKey: key)
            return object
        }
        var members = Array(object)
        members[existing].value = value
        return JSONObject(members: members)
    }
}
