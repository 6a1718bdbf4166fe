/// Jinja tests: `value is name(args)`.
enum TestFunctions {
    static let names: Set<String> = [
        "defined", "undefined", "none", "string", "number", "integer", "float", "mapping", "iterable", "sequence",
        "boolean", "true", "false", "equalto", "eq", "ne", "lt", "le", "gt", "ge", "greaterthan", "lessthan",
        "odd", "even", "divisibleby", "in", "callable", "lower", "upper", "sameas",
    ]

    static func apply(_ name: String, to value: Value, args: [Value]) throws -> Bool {
        func argument() throws -> Value {
            guard let first = args.first else { throw EvalFailure.type("test '\(name)' needs an argument") }
            return first
        }
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": if case .none = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "number": return value.number != nil
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "mapping": if case .dict = value { return true } else { return false }
        case "iterable":
            switch value {
            case .list, .tuple, .dict, .string, .undefined, .namespace: return true
            default: return false
            }
        case "sequence":
            switch value {
            case .list, .tuple, .dict, .string, .undefined: return true
            default: return false
            }
        case "callable":
            switch value {
            case .macro, .function, .method: return true
            default: return false
            }
        case "equalto", "eq": return Operators.equal(value, try argument())
        case "sameas":
            let other = try argument()
            return value.typeName == other.typeName && Operators.equal(value, other)
        case "ne": return !Operators.equal(value, try argument())
        case "lt", "lessthan": return try Operators.binary(.less, value, try argument()).isTruthy
        case "le": return try Operators.binary(.lessEqual, value, try argument()).isTruthy
        case "gt", "greaterthan": return try Operators.binary(.greater, value, try argument()).isTruthy
        case "ge": return try Operators.binary(.greaterEqual, value, try argument()).isTruthy
        case "in": return try Operators.contains(try argument(), value)
        case "odd", "even":
            let remainder = try Operators.binary(.modulo, value, .int(2))
            return Operators.equal(remainder, .int(name == "odd" ? 1 : 0))
        case "divisibleby":
            return Operators.equal(try Operators.binary(.modulo, value, try argument()), .int(0))
        case "lower", "upper":
            let s = try ValueFormatting.str(value)
            let hasCased = s.unicodeScalars.contains { $0.properties.isCased }
            return hasCased && (name == "lower" ? s.lowercased() == s : s.uppercased() == s)
        default:
            throw EvalFailure.type("no test named '\(name)'")
        }
    }
}
