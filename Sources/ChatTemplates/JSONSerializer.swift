/// Python `json.dumps(value, ensure_ascii=False, indent=..., separators=..., sort_keys=...)`,
/// which is what transformers' `tojson` filter returns.
struct JSONSerializer {
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys = false

    init(indent: String?, separators: (String, String)?, sortKeys: Bool) {
        self.indent = indent
        self.sortKeys = sortKeys
        if let separators {
            itemSeparator = separators.0
            keySeparator = separators.1
        } else {
            itemSeparator = indent == nil ? ", " : ","
            keySeparator = ": "
        }
    }

    func serialize(_ value: Value) throws -> String {
        var out = ""
        try append(value, to: &out, level: 0)
        return out
    }

    private func newline(_ out: inout String, level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    private func append(_ value: Value, to out: inout String, level: Int) throws {
        guard level < ValueFormatting.maxDepth else {
            throw EvalFailure.limit("value nested deeper than \(ValueFormatting.maxDepth) levels")
        }
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            if d.isNaN { out += "NaN" } else if d.isInfinite { out += d < 0 ? "-Infinity" : "Infinity" } else {
                out += ValueFormatting.pythonFloat(d)
            }
        case .string(let s): JSONSerializer.appendString(s, to: &out)
        case .list(let items), .tuple(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += itemSeparator }
                newline(&out, level: level + 1)
                try append(item, to: &out, level: level + 1)
            }
            newline(&out, level: level)
            out += "]"
        case .dict(let dict):
            try appendObject(dict, to: &out, level: level)
        case .undefined, .namespace, .macro, .function, .method, .loop:
            throw EvalFailure.type("Object of type \(value.typeName) is not JSON serializable")
        }
    }

    private func appendObject(_ dict: ValueDict, to out: inout String, level: Int) throws {
        if dict.count == 0 { out += "{}"; return }
        out += "{"
        let keys = sortKeys ? dict.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) } : dict.keys
        for (i, key) in keys.enumerated() {
            if i > 0 { out += itemSeparator }
            newline(&out, level: level + 1)
            JSONSerializer.appendString(key, to: &out)
            out += keySeparator
            try append(dict[key] ?? .none, to: &out, level: level + 1)
        }
        newline(&out, level: level)
        out += "}"
    }

    /// A JSON string literal with Python's escapes and non-ASCII kept as is.
    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + ValueFormatting.hex(scalar.value, width: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
