/// Python methods callable on values inside templates (`s.strip()`, `d.items()`, `loop.cycle(...)`).
/// Mutating list/dict methods are refused, as in jinja2's immutable sandbox.
enum Methods {
    private static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "split", "startswith", "endswith", "upper", "lower", "replace", "title",
        "capitalize", "find", "count", "format", "join", "splitlines", "isdigit", "isalpha", "isspace",
    ]
    private static let dictMethods: Set<String> = ["items", "keys", "values", "get", "copy"]
    private static let unsafeMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault", "popitem",
    ]

    /// What `value.name` yields for a name that is a Python method of the value's type: the bound method,
    /// or (for mutating methods, refused by the immutable sandbox) an undefined that names the refusal.
    /// Nil when `name` is no method, so dict keys are looked up instead.
    static func attribute(_ name: String, of value: Value) -> Value? {
        let isMethod: Bool
        switch value {
        case .string: isMethod = stringMethods.contains(name) || otherStringMethods.contains(name)
        case .dict: isMethod = dictMethods.contains(name) || unsafeMethods.contains(name) || name == "fromkeys"
        case .list, .tuple: isMethod = unsafeMethods.contains(name) || ["copy", "count", "index"].contains(name)
        default: isMethod = false
        }
        guard isMethod else { return nil }
        if unsafeMethods.contains(name) {
            return .undefined("access to attribute '\(name)' of '\(value.typeName)' object is unsafe.")
        }
        return .method(BoundMethod(receiver: value, name: name))
    }

    /// Python str methods this interpreter does not run, still visible as attributes.
    private static let otherStringMethods: Set<String> = [
        "casefold", "center", "encode", "expandtabs", "format_map", "index", "isalnum", "isascii", "isdecimal",
        "isidentifier", "islower", "isnumeric", "isprintable", "istitle", "isupper", "ljust", "maketrans", "partition",
        "removeprefix", "removesuffix", "rfind", "rindex", "rjust", "rpartition", "rsplit", "swapcase", "translate", "zfill",
    ]

    static func has(_ name: String, on value: Value) -> Bool {
        switch value {
        case .string: return stringMethods.contains(name)
        case .dict: return dictMethods.contains(name) || unsafeMethods.contains(name)
        case .list, .tuple: return unsafeMethods.contains(name) || ["copy", "count", "index"].contains(name)
        case .loop: return name == "cycle"
        default: return false
        }
    }

    static func call(_ name: String, on value: Value, args: [Value], kwargs: [(String, Value)]) throws -> Value {
        if unsafeMethods.contains(name) {
            throw EvalFailure.type("access to attribute '\(name)' of '\(value.typeName)' object is unsafe")
        }
        switch value {
        case .string(let s): return try stringMethod(name, s, args)
        case .dict(let dict):
            switch name {
            case "items": return .list(dict.items)
            case "keys": return .list(dict.keys.map { .string($0) })
            case "values": return .list(dict.values)
            case "copy": return value
            default:
                guard case .string(let key)? = args.first else { return args.count > 1 ? args[1] : .none }
                return dict[key] ?? (args.count > 1 ? args[1] : .none)
            }
        case .list(let items), .tuple(let items):
            switch name {
            case "copy": return value
            case "count": return .int(items.filter { Operators.equal($0, args.first ?? .none) }.count)
            default:
                guard let index = items.firstIndex(where: { Operators.equal($0, args.first ?? .none) }) else {
                    throw EvalFailure.type("value is not in list")
                }
                return .int(index)
            }
        case .loop(let loop):
            guard !args.isEmpty else { throw EvalFailure.type("no items for cycling given") }
            return args[loop.index0 % args.count]
        default:
            throw EvalFailure.type("'\(value.typeName)' object has no attribute '\(name)'")
        }
    }

    private static func stringArg(_ args: [Value], _ i: Int) throws -> String? {
        guard i < args.count else { return nil }
        switch args[i] {
        case .none: return nil
        case .string(let s): return s
        default: throw EvalFailure.type("argument must be str or None, not \(args[i].typeName)")
        }
    }

    private static func stringMethod(_ name: String, _ s: String, _ args: [Value]) throws -> Value {
        switch name {
        case "strip": return .string(StringOps.strip(s, chars: try stringArg(args, 0), leading: true, trailing: true))
        case "lstrip": return .string(StringOps.strip(s, chars: try stringArg(args, 0), leading: true, trailing: false))
        case "rstrip": return .string(StringOps.strip(s, chars: try stringArg(args, 0), leading: false, trailing: true))
        case "split":
            let maxSplit = args.count > 1 ? (args[1].integer ?? -1) : -1
            return .list(try StringOps.split(s, separator: try stringArg(args, 0), maxSplit: maxSplit).map { .string($0) })
        case "startswith", "endswith":
            let candidates: [Value]
            if let first = args.first, case .tuple(let items) = first { candidates = items } else { candidates = Array(args.prefix(1)) }
            for case .string(let c) in candidates {
                if name == "startswith" ? s.utf8.starts(with: c.utf8) : s.utf8.reversed().starts(with: c.utf8.reversed()) {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "title": return .string(StringOps.pythonTitle(s))
        case "capitalize": return .string(StringOps.capitalize(s))
        case "replace":
            guard let old = try stringArg(args, 0), let new = try stringArg(args, 1) else {
                throw EvalFailure.type("replace() takes 2 string arguments")
            }
            let count = args.count > 2 ? (args[2].integer ?? -1) : -1
            return .string(StringOps.replace(s, old, new, count: count))
        case "find":
            guard let needle = try stringArg(args, 0) else { throw EvalFailure.type("find() takes a string argument") }
            return .int(StringOps.find(s, needle))
        case "count":
            guard let needle = try stringArg(args, 0) else { throw EvalFailure.type("count() takes a string argument") }
            return .int(StringOps.count(s, needle))
        case "join":
            let items = try Operators.iterate(args.first ?? .list([]))
            return .string(try items.map { try ValueFormatting.str($0) }.joined(separator: s))
        case "splitlines":
            return .list(s.split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })
        case "isdigit": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isWhitespace })
        default:
            return .string(try StringOps.format(s, args))
        }
    }
}
