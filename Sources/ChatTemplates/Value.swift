/// The interpreter's runtime value: Python-like data plus Jinja's undefined, namespaces, macros and loop objects.
indirect enum Value {
    /// jinja2's default `Undefined`; carries the message of the error it raises when misused.
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([Value])
    case tuple([Value])
    case dict(ValueDict)
    case namespace(Namespace)
    case macro(Macro)
    case function(BuiltinFunction)
    /// A method looked up but not yet called (`d.items`), as jinja2's attribute lookup returns it.
    case method(BoundMethod)
    case loop(LoopState)

    /// Python truthiness.
    var isTruthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l), .tuple(let l): return !l.isEmpty
        case .dict(let d): return d.count > 0
        case .namespace, .macro, .function, .method, .loop: return true
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }

    /// Python's type name, used in error messages as jinja2 words them.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .namespace: return "Namespace"
        case .macro: return "Macro"
        case .function, .method: return "builtin_function_or_method"
        case .loop: return "LoopContext"
        }
    }

    /// Container nesting depth, counted up to `limit` (stops descending there).
    func nestingDepth(limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        let children: [Value]
        switch self {
        case .list(let items), .tuple(let items): children = items
        case .dict(let dict): children = dict.values
        default: return 0
        }
        var deepest = 0
        for child in children {
            deepest = max(deepest, child.nestingDepth(limit: limit - 1))
            if deepest >= limit - 1 { break }
        }
        return deepest + 1
    }

    /// Numeric view of bool/int/float (Python bools are ints).
    var number: Double? {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// Integer view of bool/int.
    var integer: Int? {
        switch self {
        case .bool(let b): return b ? 1 : 0
        case .int(let i): return i
        default: return nil
        }
    }

    init(_ value: TemplateValue) {
        switch value {
        case .null: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .list(a.map(Value.init))
        case .object(let o):
            var dict = ValueDict()
            for (key, item) in o.entries { dict[key] = Value(item) }
            self = .dict(dict)
        }
    }

    init(_ literal: Literal) {
        switch literal {
        case .none: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        }
    }
}

/// An insertion-ordered dictionary with string keys (what JSON and chat templates use).
struct ValueDict {
    private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    var count: Int { keys.count }

    subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    var values: [Value] { keys.map { storage[$0] ?? .none } }
    var items: [Value] { keys.map { .tuple([.string($0), storage[$0] ?? .none]) } }
}

/// The object `namespace(...)` returns: the one mutable value, writable with `set ns.attr = ...`.
final class Namespace {
    var attributes = ValueDict()
}

/// A macro value: its definition plus the scope it was defined in.
final class Macro {
    let definition: MacroDefinition
    let scope: Scope

    init(definition: MacroDefinition, scope: Scope) {
        self.definition = definition
        self.scope = scope
    }
}

/// A method of a string, dict, list or loop object, bound to its receiver.
final class BoundMethod {
    let receiver: Value
    let name: String

    init(receiver: Value, name: String) {
        self.receiver = receiver
        self.name = name
    }
}

/// Global functions available to templates.
enum BuiltinFunction {
    case raiseException, range, namespace, strftimeNow, dict
}

/// The `loop` variable of a for loop.
final class LoopState {
    let index0: Int
    let length: Int
    let previous: Value?
    let next: Value?

    init(index0: Int, length: Int, previous: Value?, next: Value?) {
        self.index0 = index0
        self.length = length
        self.previous = previous
        self.next = next
    }
}

/// A variable scope; for-loop iterations and macro calls push a child scope.
final class Scope {
    var variables: [String: Value] = [:]
    let parent: Scope?

    init(parent: Scope?) { self.parent = parent }

    func lookup(_ name: String) -> Value? {
        var scope: Scope? = self
        while let current = scope {
            if let value = current.variables[name] { return value }
            scope = current.parent
        }
        return nil
    }
}
