import Foundation

/// Python semantics of Jinja's operators on values.
enum Operators {
    /// Largest string or list a `*` repetition may build.
    static let maxRepeatLength = 1 << 24

    static func unsupported(_ op: String, _ l: Value, _ r: Value) -> EvalFailure {
        .type("unsupported operand type(s) for \(op): '\(l.typeName)' and '\(r.typeName)'")
    }

    static func checkDefined(_ values: Value...) throws {
        for case .undefined(let message) in values { throw EvalFailure.undefined(message) }
    }

    /// Items a for loop visits: list items, dict keys, string characters; undefined is empty.
    static func iterate(_ value: Value) throws -> [Value] {
        switch value {
        case .list(let items), .tuple(let items): return items
        case .dict(let dict): return dict.keys.map { .string($0) }
        case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .undefined: return []
        case .namespace(let ns): return ns.attributes.keys.map { .string($0) }
        default: throw EvalFailure.type("'\(value.typeName)' object is not iterable")
        }
    }

    static func negate(_ value: Value) throws -> Value {
        try checkDefined(value)
        if let i = value.integer {
            guard i != Int.min else { throw EvalFailure.limit("integer overflow") }
            return .int(-i)
        }
        if case .double(let d) = value { return .double(-d) }
        throw EvalFailure.type("bad operand type for unary -: '\(value.typeName)'")
    }

    private static func intResult(_ r: (partialValue: Int, overflow: Bool)) throws -> Value {
        if r.overflow { throw EvalFailure.limit("integer overflow") }
        return .int(r.partialValue)
    }

    private static func repeated(_ value: Value, _ times: Int) throws -> Value {
        let n = max(0, times)
        switch value {
        case .string(let s):
            let (total, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
            guard !overflow, total <= maxRepeatLength else { throw EvalFailure.limit("string repetition too large") }
            return .string(String(repeating: s, count: n))
        case .list(let items):
            let (total, overflow) = items.count.multipliedReportingOverflow(by: n)
            guard !overflow, total <= maxRepeatLength else { throw EvalFailure.limit("list repetition too large") }
            var out: [Value] = []
            for _ in 0..<n { out.append(contentsOf: items) }
            return .list(out)
        default:
            throw EvalFailure.type("can't multiply sequence by non-int")
        }
    }

    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        switch op {
        case .concat:
            return .string(try ValueFormatting.str(l) + ValueFormatting.str(r))
        case .equal: return .bool(equal(l, r))
        case .notEqual: return .bool(!equal(l, r))
        case .less, .lessEqual, .greater, .greaterEqual:
            try checkDefined(l, r)
            let c = try compare(l, r, op.rawValue)
            switch op {
            case .less: return .bool(c < 0)
            case .lessEqual: return .bool(c <= 0)
            case .greater: return .bool(c > 0)
            default: return .bool(c >= 0)
            }
        case .contains: return .bool(try contains(r, l))
        case .notContains: return .bool(!(try contains(r, l)))
        default:
            try checkDefined(l, r)
            return try arithmetic(op, l, r)
        }
    }

    private static func arithmetic(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        if let a = l.integer, let b = r.integer {
            switch op {
            case .add: return try intResult(a.addingReportingOverflow(b))
            case .subtract: return try intResult(a.subtractingReportingOverflow(b))
            case .multiply: return try intResult(a.multipliedReportingOverflow(by: b))
            case .divide:
                guard b != 0 else { throw EvalFailure.type("division by zero") }
                return .double(Double(a) / Double(b))
            case .floorDivide, .modulo:
                guard b != 0 else { throw EvalFailure.type(op == .modulo ? "integer modulo by zero" : "integer division or modulo by zero") }
                guard !(a == Int.min && b == -1) else { throw EvalFailure.limit("integer overflow") }
                var q = a / b
                var m = a % b
                if m != 0 && ((m < 0) != (b < 0)) { q -= 1; m += b }
                return .int(op == .modulo ? m : q)
            case .power:
                if b < 0 { return .double(pow(Double(a), Double(b))) }
                var result = 1
                var overflow = false
                for _ in 0..<min(b, 64) where !overflow {
                    (result, overflow) = result.multipliedReportingOverflow(by: a)
                }
                if b > 64 && !(a == 0 || a == 1 || a == -1) { overflow = true }
                if b > 64 && a == -1 { result = b % 2 == 0 ? 1 : -1 }
                if b > 64 && a == 0 { result = 0 }
                if overflow { throw EvalFailure.limit("integer overflow") }
                return .int(result)
            default: break
            }
        }
        if let a = l.number, let b = r.number {
            switch op {
            case .add: return .double(a + b)
            case .subtract: return .double(a - b)
            case .multiply: return .double(a * b)
            case .divide:
                guard b != 0 else { throw EvalFailure.type("float division by zero") }
                return .double(a / b)
            case .floorDivide:
                guard b != 0 else { throw EvalFailure.type("float floor division by zero") }
                return .double((a / b).rounded(.down))
            case .modulo:
                guard b != 0 else { throw EvalFailure.type("float modulo") }
                var m = fmod(a, b)
                if m != 0 && ((m < 0) != (b < 0)) { m += b }
                return .double(m)
            case .power: return .double(pow(a, b))
            default: break
            }
        }
        switch (op, l, r) {
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        case (.modulo, .string(let format), _): return .string(try PercentFormat.format(format, r))
        case (.add, .list(let a), .list(let b)): return .list(a + b)
        case (.add, .tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.multiply, .string, _), (.multiply, .list, _):
            guard let n = r.integer else { throw EvalFailure.type("can't multiply sequence by non-int of type '\(r.typeName)'") }
            return try repeated(l, n)
        case (.multiply, _, .string), (.multiply, _, .list):
            guard let n = l.integer else { throw EvalFailure.type("can't multiply sequence by non-int of type '\(l.typeName)'") }
            return try repeated(r, n)
        case (.add, .string, _):
            throw EvalFailure.type("can only concatenate str (not \"\(r.typeName)\") to str")
        case (.add, .list, _):
            throw EvalFailure.type("can only concatenate list (not \"\(r.typeName)\") to list")
        default:
            throw unsupported(op.rawValue, l, r)
        }
    }

    /// Python `==`: numbers compare across int/float/bool, containers compare deeply.
    static func equal(_ l: Value, _ r: Value) -> Bool {
        if let a = l.integer, let b = r.integer { return a == b }
        if let a = l.number, let b = r.number { return a == b }
        switch (l, r) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let a), .string(let b)): return a.utf8.elementsEqual(b.utf8)
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.dict(let a), .dict(let b)):
            guard a.count == b.count else { return false }
            for key in a.keys {
                guard let x = a[key], let y = b[key], equal(x, y) else { return false }
            }
            return true
        case (.namespace(let a), .namespace(let b)): return a === b
        case (.macro(let a), .macro(let b)): return a === b
        case (.method(let a), .method(let b)): return a === b
        default: return false
        }
    }

    /// Three-way ordering for `<`-style comparisons, sort and dictsort.
    static func compare(_ l: Value, _ r: Value, _ op: String = "<") throws -> Int {
        if let a = l.number, let b = r.number {
            if let x = l.integer, let y = r.integer { return x < y ? -1 : (x > y ? 1 : 0) }
            return a < b ? -1 : (a > b ? 1 : 0)
        }
        switch (l, r) {
        case (.string(let a), .string(let b)):
            if a.unicodeScalars.elementsEqual(b.unicodeScalars) { return 0 }
            return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) ? -1 : 1
        case (.list(let a), .list(let b)), (.tuple(let a), .tuple(let b)):
            for (x, y) in zip(a, b) {
                if equal(x, y) { continue }
                return try compare(x, y, op)
            }
            return a.count < b.count ? -1 : (a.count > b.count ? 1 : 0)
        default:
            throw EvalFailure.type("'\(op)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
    }

    /// Python `needle in container`.
    static func contains(_ container: Value, _ needle: Value) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let n) = needle else {
                throw EvalFailure.type("'in <string>' requires string as left operand, not \(needle.typeName)")
            }
            return n.isEmpty || s.contains(n)
        case .list(let items), .tuple(let items): return items.contains { equal($0, needle) }
        case .dict(let dict):
            if case .string(let k) = needle { return dict[k] != nil }
            return false
        case .namespace(let ns):
            if case .string(let k) = needle { return ns.attributes[k] != nil }
            return false
        case .undefined: return false
        default: throw EvalFailure.type("argument of type '\(container.typeName)' is not iterable")
        }
    }
}
