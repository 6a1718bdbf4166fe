/// Positional and keyword arguments of a filter call, read by position or name.
struct FilterArguments {
    let args: [Value]
    let kwargs: [(String, Value)]

    func value(_ position: Int, _ name: String) -> Value? {
        if position >= 0, position < args.count { return args[position] }
        return kwargs.first { $0.0 == name }?.1
    }

    func bool(_ position: Int, _ name: String, default fallback: Bool) -> Bool {
        value(position, name)?.isTruthy ?? fallback
    }

    func string(_ position: Int, _ name: String) throws -> String? {
        guard let v = value(position, name) else { return nil }
        if case .none = v { return nil }
        return try ValueFormatting.str(v)
    }
}

/// Jinja filters: `value | name(args)`.
enum Filters {
    static let names: Set<String> = [
        "trim", "tojson", "length", "count", "join", "first", "last", "default", "d", "items", "map", "selectattr",
        "rejectattr", "select", "reject", "list", "string", "int", "float", "lower", "upper", "capitalize", "title",
        "replace", "safe", "escape", "e", "indent", "round", "abs", "sum", "unique", "sort", "reverse", "dictsort",
        "min", "max", "wordcount", "format",
    ]

    static func apply(_ name: String, to value: Value, args: [Value], kwargs: [(String, Value)], renderer: Renderer) throws -> Value {
        let a = FilterArguments(args: args, kwargs: kwargs)
        if case .undefined(let message) = value, ["int", "float", "indent", "dictsort"].contains(name) {
            throw EvalFailure.undefined(message)
        }
        switch name {
        case "trim":
            return .string(StringOps.strip(try ValueFormatting.str(value), chars: try a.string(0, "chars"), leading: true, trailing: true))
        case "tojson":
            return .string(try toJSON(value, a))
        case "length", "count":
            return .int(try length(value))
        case "join":
            var items = try Operators.iterate(value)
            if let attribute = try a.string(1, "attribute") { items = try items.map { try attributePath($0, attribute) } }
            return .string(try items.map { try ValueFormatting.str($0) }.joined(separator: try a.string(0, "d") ?? ""))
        case "first", "last":
            let items = try Operators.iterate(value)
            let item = name == "first" ? items.first : items.last
            return item ?? .undefined("No \(name) item, sequence was empty.")
        case "default", "d":
            let fallback = a.value(0, "default_value") ?? .string("")
            let useBoolean = a.bool(1, "boolean", default: false)
            return (value.isUndefined || (useBoolean && !value.isTruthy)) ? fallback : value
        case "items":
            switch value {
            case .dict(let dict): return .list(dict.items)
            case .undefined: return .list([])
            default: throw EvalFailure.type("Can only get item pairs from a mapping.")
            }
        case "list":
            return .list(try Operators.iterate(value))
        case "string":
            return .string(try ValueFormatting.str(value))
        case "int":
            return try toInt(value, fallback: a.value(0, "default") ?? .int(0))
        case "float":
            return try toFloat(value, fallback: a.value(0, "default") ?? .double(0))
        case "lower": return .string(try ValueFormatting.str(value).lowercased())
        case "upper": return .string(try ValueFormatting.str(value).uppercased())
        case "capitalize": return .string(StringOps.capitalize(try ValueFormatting.str(value)))
        case "title": return .string(StringOps.jinjaTitle(try ValueFormatting.str(value)))
        case "replace":
            guard let old = try a.string(0, "old"), let new = try a.string(1, "new") else {
                throw EvalFailure.type("replace filter needs old and new strings")
            }
            let count = a.value(2, "count")?.integer ?? -1
            return .string(StringOps.replace(try ValueFormatting.str(value), old, new, count: count))
        case "safe": return value
        case "escape", "e": return .string(escapeHTML(try ValueFormatting.str(value)))
        case "indent": return .string(try indent(try ValueFormatting.str(value), a))
        case "format":
            return .string(try PercentFormat.format(try ValueFormatting.str(value), .tuple(args)))
        case "wordcount":
            return .int(try StringOps.split(try ValueFormatting.str(value), separator: nil, maxSplit: -1).count)
        default:
            return try applyCollectionFilter(name, to: value, a, renderer: renderer)
        }
    }

    static func length(_ value: Value) throws -> Int {
        switch value {
        case .string(let s): return s.unicodeScalars.count
        case .list(let items), .tuple(let items): return items.count
        case .dict(let dict): return dict.count
        case .namespace(let ns): return ns.attributes.count
        case .undefined: return 0
        default: throw EvalFailure.type("object of type '\(value.typeName)' has no len()")
        }
    }

    /// Follows a dotted attribute path (`'function.name'`, integer parts index lists).
    static func attributePath(_ value: Value, _ path: String) throws -> Value {
        var current = value
        for part in path.split(separator: ".", omittingEmptySubsequences: false) {
            if let i = Int(part) {
                current = try Access.item(current, .int(i))
            } else {
                current = try Access.item(current, .string(String(part)))
            }
        }
        return current
    }

    private static func toJSON(_ value: Value, _ a: FilterArguments) throws -> String {
        var indent: String?
        switch a.value(1, "indent") {
        case .int(let n)?: indent = String(repeating: " ", count: max(0, min(n, 64)))
        case .string(let s)?: indent = s
        default: indent = nil
        }
        var separators: (String, String)?
        if let pairValue = a.value(2, "separators"), case let pair = try Operators.iterate(pairValue), pair.count == 2 {
            separators = (try ValueFormatting.str(pair[0]), try ValueFormatting.str(pair[1]))
        }
        let sortKeys = a.bool(3, "sort_keys", default: false)
        return try JSONSerializer(indent: indent, separators: separators, sortKeys: sortKeys).serialize(value)
    }

    private static func toInt(_ value: Value, fallback: Value) throws -> Value {
        switch value {
        case .int, .bool: return .int(value.integer ?? 0)
        case .double(let d):
            guard d.isFinite, abs(d) < 9.2e18 else { return fallback }
            return .int(Int(d))
        case .string(let s):
            let trimmed = StringOps.strip(s, chars: nil, leading: true, trailing: true).filter { $0 != "_" }
            if let i = Int(trimmed) { return .int(i) }
            if let d = Double(trimmed), d.isFinite, abs(d) < 9.2e18 { return .int(Int(d)) }
            return fallback
        default: return fallback
        }
    }

    private static func toFloat(_ value: Value, fallback: Value) throws -> Value {
        switch value {
        case .int, .bool, .double: return .double(value.number ?? 0)
        case .string(let s):
            let trimmed = StringOps.strip(s, chars: nil, leading: true, trailing: true)
            return Double(trimmed).map { .double($0) } ?? fallback
        default: return fallback
        }
    }

    private static func escapeHTML(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func indent(_ text: String, _ a: FilterArguments) throws -> String {
        let indention: String
        switch a.value(0, "width") {
        case .string(let s)?: indention = s
        case let v?: indention = String(repeating: " ", count: max(0, min(v.integer ?? 4, 256)))
        case nil: indention = "    "
        }
        let first = a.bool(1, "first", default: false)
        let blank = a.bool(2, "blank", default: false)
        var lines = (text + "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indention)
        } else {
            result = lines.first ?? ""
            if lines.count > 1 {
                result += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
            }
        }
        return first ? indention + result : result
    }
}
