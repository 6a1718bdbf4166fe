import Foundation

extension Filters {
    /// Filters over sequences and numbers: map, select/reject(attr), sort, unique, sum, round...
    static func applyCollectionFilter(_ name: String, to value: Value, _ a: FilterArguments, renderer: Renderer) throws -> Value {
        switch name {
        case "map":
            let items = try Operators.iterate(value)
            if let attribute = try a.string(-1, "attribute") {
                let fallback = a.value(-1, "default")
                return .list(try items.map { item in
                    let v = try attributePath(item, attribute)
                    if v.isUndefined, let fallback { return fallback }
                    return v
                })
            }
            guard case .string(let filterName)? = a.args.first else { throw EvalFailure.type("map() needs a filter name or attribute=") }
            guard names.contains(filterName) else { throw EvalFailure.type("no filter named '\(filterName)'") }
            let rest = Array(a.args.dropFirst())
            return .list(try items.map { try apply(filterName, to: $0, args: rest, kwargs: a.kwargs, renderer: renderer) })
        case "select", "reject":
            let items = try Operators.iterate(value)
            let keep = name == "select"
            return .list(try items.filter { try check($0, testArgs: a.args) == keep })
        case "selectattr", "rejectattr":
            let items = try Operators.iterate(value)
            guard case .string(let attribute)? = a.args.first else { throw EvalFailure.type("\(name) needs an attribute name") }
            let keep = name == "selectattr"
            return .list(try items.filter { try check(try attributePath($0, attribute), testArgs: Array(a.args.dropFirst())) == keep })
        case "unique":
            let caseSensitive = a.bool(0, "case_sensitive", default: false)
            let attribute = try a.string(1, "attribute")
            var seen: [Value] = []
            var out: [Value] = []
            for item in try Operators.iterate(value) {
                let key = try sortKey(item, attribute: attribute, caseSensitive: caseSensitive)
                if !seen.contains(where: { Operators.equal($0, key) }) { seen.append(key); out.append(item) }
            }
            return .list(out)
        case "sort":
            let reverse = a.bool(0, "reverse", default: false)
            let caseSensitive = a.bool(1, "case_sensitive", default: false)
            let attribute = try a.string(2, "attribute")
            let items = try Operators.iterate(value)
            let keyed = try items.map { (try sortKey($0, attribute: attribute, caseSensitive: caseSensitive), $0) }
            return .list(try stableSort(keyed, reverse: reverse).map { $0.1 })
        case "dictsort":
            guard case .dict(let dict) = value else { throw EvalFailure.type("dictsort needs a mapping") }
            let caseSensitive = a.bool(0, "case_sensitive", default: false)
            let byValue = (try a.string(1, "by")) == "value"
            let reverse = a.bool(2, "reverse", default: false)
            let keyed = try dict.items.map { pair -> (Value, Value) in
                guard case .tuple(let kv) = pair else { return (pair, pair) }
                return (try sortKey(kv[byValue ? 1 : 0], attribute: nil, caseSensitive: caseSensitive), pair)
            }
            return .list(try stableSort(keyed, reverse: reverse).map { $0.1 })
        case "reverse":
            if case .string(let s) = value { return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed()))) }
            return .list(try Operators.iterate(value).reversed())
        case "sum":
            let attribute = try a.string(0, "attribute")
            var total = a.value(1, "start") ?? .int(0)
            for item in try Operators.iterate(value) {
                total = try Operators.binary(.add, total, attribute.map { try attributePath(item, $0) } ?? item)
            }
            return total
        case "min", "max":
            let items = try Operators.iterate(value)
            guard var best = items.first else { return .undefined("No aggregated item, sequence was empty.") }
            for item in items.dropFirst() {
                let c = try Operators.compare(try sortKey(item, attribute: nil, caseSensitive: false),
                                              try sortKey(best, attribute: nil, caseSensitive: false))
                if name == "min" ? c < 0 : c > 0 { best = item }
            }
            return best
        case "abs":
            if let i = value.integer {
                guard i != Int.min else { throw EvalFailure.limit("integer overflow") }
                return .int(abs(i))
            }
            if case .double(let d) = value { return .double(abs(d)) }
            throw EvalFailure.type("bad operand type for abs(): '\(value.typeName)'")
        case "round":
            return try round(value, a)
        default:
            throw EvalFailure.type("no filter named '\(name)'")
        }
    }

    /// Runs a test given as `(name, args...)`; with no name, truthiness decides.
    private static func check(_ item: Value, testArgs: [Value]) throws -> Bool {
        guard case .string(let testName)? = testArgs.first else { return item.isTruthy }
        return try TestFunctions.apply(testName, to: item, args: Array(testArgs.dropFirst()))
    }

    private static func sortKey(_ item: Value, attribute: String?, caseSensitive: Bool) throws -> Value {
        let key = try attribute.map { try attributePath(item, $0) } ?? item
        if !caseSensitive, case .string(let s) = key { return .string(s.lowercased()) }
        return key
    }

    private static func stableSort(_ keyed: [(Value, Value)], reverse: Bool) throws -> [(Value, Value)] {
        var failure: Error?
        let indexed = keyed.enumerated().map { ($0.offset, $0.element) }
        let sorted = indexed.sorted { x, y in
            do {
                let c = try Operators.compare(x.1.0, y.1.0)
                if c != 0 { return reverse ? c > 0 : c < 0 }
            } catch {
                failure = error
            }
            return x.0 < y.0
        }
        if let failure { throw failure }
        return sorted.map { $0.1 }
    }

    private static func round(_ value: Value, _ a: FilterArguments) throws -> Value {
        guard let number = value.number else { throw EvalFailure.type("round() needs a number, got '\(value.typeName)'") }
        let precision = a.value(0, "precision")?.integer ?? 0
        let method = try a.string(1, "method") ?? "common"
        let scale = pow(10.0, Double(max(-30, min(precision, 30))))
        switch method {
        case "common":
            if value.integer != nil, precision >= 0 { return .int(value.integer ?? 0) }
            if precision >= 0, precision <= 30, number.isFinite {
                // Python rounds the exact binary value to `precision` decimals, as printf does.
                return .double(Double(PercentFormat.fixed(number, digits: precision)) ?? number)
            }
            return .double((number * scale).rounded(.toNearestOrEven) / scale)
        case "ceil": return .double((number * scale).rounded(.up) / scale)
        case "floor": return .double((number * scale).rounded(.down) / scale)
        default: throw EvalFailure.type("method must be common, ceil or floor")
        }
    }
}
