/// Attribute, item and slice access with jinja2's sandbox lookups: a missing key or index yields undefined,
/// while any access on undefined raises.
enum Access {
    private static func objectName(_ value: Value) -> String {
        switch value {
        case .none: return "None"
        default: return "'\(value.typeName) object'"
        }
    }

    static func attribute(_ value: Value, _ name: String) throws -> Value {
        switch value {
        case .undefined(let message):
            throw EvalFailure.undefined(message)
        case .dict(let dict):
            if let method = Methods.attribute(name, of: value) { return method }
            return dict[name] ?? .undefined("'dict object' has no attribute '\(name)'")
        case .namespace(let ns):
            return ns.attributes[name] ?? .undefined("'Namespace' object has no attribute '\(name)'")
        case .loop(let loop):
            switch name {
            case "index": return .int(loop.index0 + 1)
            case "index0": return .int(loop.index0)
            case "revindex": return .int(loop.length - loop.index0)
            case "revindex0": return .int(loop.length - loop.index0 - 1)
            case "first": return .bool(loop.index0 == 0)
            case "last": return .bool(loop.index0 == loop.length - 1)
            case "length": return .int(loop.length)
            case "depth": return .int(1)
            case "depth0": return .int(0)
            case "previtem": return loop.previous ?? .undefined("there is no previous item")
            case "nextitem": return loop.next ?? .undefined("there is no next item")
            case "cycle": return .method(BoundMethod(receiver: value, name: name))
            default: return .undefined("'LoopContext' object has no attribute '\(name)'")
            }
        default:
            if let method = Methods.attribute(name, of: value) { return method }
            return .undefined("\(objectName(value)) has no attribute '\(name)'")
        }
    }

    static func item(_ value: Value, _ key: Value) throws -> Value {
        switch value {
        case .undefined(let message):
            throw EvalFailure.undefined(message)
        case .dict(let dict):
            if case .string(let k) = key {
                return dict[k] ?? Methods.attribute(k, of: value) ?? .undefined("'dict object' has no attribute '\(k)'")
            }
            return .undefined("'dict object' has no element \(try ValueFormatting.str(key))")
        case .list(let items), .tuple(let items):
            guard let i = key.integer else {
                if case .string(let name) = key { return try attribute(value, name) }
                throw EvalFailure.type("list indices must be integers or slices, not \(key.typeName)")
            }
            let index = i < 0 ? items.count + i : i
            guard index >= 0, index < items.count else { return .undefined("'list object' has no element \(i)") }
            return items[index]
        case .string(let s):
            guard let i = key.integer else {
                if case .string(let name) = key { return try attribute(value, name) }
                throw EvalFailure.type("string indices must be integers, not '\(key.typeName)'")
            }
            let scalars = Array(s.unicodeScalars)
            let index = i < 0 ? scalars.count + i : i
            guard index >= 0, index < scalars.count else { return .undefined("'str object' has no element \(i)") }
            return .string(String(scalars[index]))
        case .namespace, .loop:
            if case .string(let name) = key { return try attribute(value, name) }
            return .undefined("\(objectName(value)) has no element")
        default:
            return .undefined("\(objectName(value)) has no element \(try ValueFormatting.str(key))")
        }
    }

    /// Python's `slice.indices` followed by element selection.
    static func sliceIndices(count: Int, start: Int?, stop: Int?, step: Int) -> [Int] {
        func clamp(_ v: Int?, _ defaultValue: Int, low: Int, high: Int) -> Int {
            guard var v else { return defaultValue }
            if v < 0 { v += count }
            return min(max(v, low), high)
        }
        var result: [Int] = []
        if step > 0 {
            let s = clamp(start, 0, low: 0, high: count)
            let e = clamp(stop, count, low: 0, high: count)
            var i = s
            while i < e {
                result.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            let s = clamp(start, count - 1, low: -1, high: count - 1)
            let e = clamp(stop, -1, low: -1, high: count - 1)
            var i = s
            while i > e {
                result.append(i)
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        }
        return result
    }

    static func slice(_ value: Value, start: Value?, stop: Value?, step: Value?) throws -> Value {
        func bound(_ v: Value?) throws -> Int? {
            guard let v, !(v.isUndefined), !(isNone(v)) else { return nil }
            guard let i = v.integer else { throw EvalFailure.type("slice indices must be integers or None") }
            return i
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw EvalFailure.type("slice step cannot be zero") }
        switch value {
        case .undefined(let message):
            throw EvalFailure.undefined(message)
        case .list(let items), .tuple(let items):
            let indices = sliceIndices(count: items.count, start: try bound(start), stop: try bound(stop), step: stepValue)
            if case .tuple = value { return .tuple(indices.map { items[$0] }) }
            return .list(indices.map { items[$0] })
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            let indices = sliceIndices(count: scalars.count, start: try bound(start), stop: try bound(stop), step: stepValue)
            var out = String.UnicodeScalarView()
            for i in indices { out.append(scalars[i]) }
            return .string(String(out))
        default:
            return .undefined("\(objectName(value)) cannot be sliced")
        }
    }

    static func isNone(_ value: Value) -> Bool {
        if case .none = value { return true }
        return false
    }
}
