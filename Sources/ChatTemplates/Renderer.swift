import Foundation

/// How a statement list finished: normally, or through `{% break %}` / `{% continue %}`.
enum Flow {
    case normal, breakLoop, continueLoop
}

/// Executes parsed template nodes against a context, producing text.
/// One renderer serves one render call; it is not shared between threads.
final class Renderer {
    var output = ""
    let options: RenderOptions
    var numIterations = 0
    var callDepth = 0

    init(options: RenderOptions) {
        self.options = options
    }

    /// Appends text, enforcing the output size limit.
    func emit(_ text: String) throws {
        output += text
        if output.utf8.count > options.maxOutputBytes {
            throw EvalFailure.limit("rendered output exceeds \(options.maxOutputBytes) bytes")
        }
    }

    /// Counts one loop iteration or macro call against the work budget.
    func countStep() throws {
        numIterations += 1
        if numIterations > options.maxIterations {
            throw EvalFailure.limit("template exceeded \(options.maxIterations) loop iterations and macro calls")
        }
    }

    /// Runs `body` with output redirected into a fresh buffer and returns what it wrote.
    func capture(_ body: () throws -> Flow) throws -> (String, Flow) {
        let saved = output
        output = ""
        do {
            let flow = try body()
            let captured = output
            output = saved
            return (captured, flow)
        } catch {
            output = saved
            throw error
        }
    }

    func render(_ nodes: [Node], scope: Scope) throws -> Flow {
        for node in nodes {
            let flow = try execute(node, scope: scope)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    private func lineOf(_ node: Node) -> Int {
        switch node {
        case .block: return 0
        case .text(_, let line), .output(_, let line), .conditional(_, _, let line), .set(_, _, let line), .setBlock(_, _, _, let line),
             .macro(_, let line), .breakLoop(let line), .callBlock(_, _, let line), .continueLoop(let line), .filterBlock(_, _, let line):
            return line
        case .forLoop(let loop): return loop.line
        }
    }

    private func execute(_ node: Node, scope: Scope) throws -> Flow {
        do {
            return try executeUnchecked(node, scope: scope)
        } catch let failure as EvalFailure {
            throw failure.error(line: lineOf(node))
        }
    }

    private func executeUnchecked(_ node: Node, scope: Scope) throws -> Flow {
        switch node {
        case .text(let s, _):
            try emit(s)
        case .output(let expr, _):
            try emit(try ValueFormatting.str(try eval(expr, scope)))
        case .conditional(let branches, let otherwise, _):
            for (condition, body) in branches where try eval(condition, scope).isTruthy {
                return try render(body, scope: scope)
            }
            return try render(otherwise, scope: scope)
        case .forLoop(let loop):
            return try executeFor(loop, scope: scope)
        case .set(let target, let expr, _):
            try assign(target, try eval(expr, scope), scope: scope)
        case .setBlock(let name, let body, let filters, _):
            let (text, _) = try capture { try render(body, scope: scope) }
            scope.variables[name] = try applyFilters(filters, to: .string(text), scope: scope)
        case .macro(let definition, _):
            scope.variables[definition.name] = .macro(Macro(definition: definition, scope: scope))
        case .breakLoop:
            return .breakLoop
        case .continueLoop:
            return .continueLoop
        case .filterBlock(let filters, let body, _):
            let (text, flow) = try capture { try render(body, scope: scope) }
            try emit(try ValueFormatting.str(try applyFilters(filters, to: .string(text), scope: scope)))
            return flow
        case .block(let body):
            return try render(body, scope: scope)
        case .callBlock(let call, let caller, _):
            guard case .call(let callee, let argExprs, let kwargExprs) = call else { return .normal }
            guard case .macro(let macro) = try eval(callee, scope) else {
                throw EvalFailure.type("call block needs a macro to call")
            }
            let args = try argExprs.map { try eval($0, scope) }
            let kwargs = try evalKeywords(kwargExprs, scope)
            let result = try callMacro(macro, args: args, kwargs: kwargs, caller: Macro(definition: caller, scope: scope))
            try emit(try ValueFormatting.str(result))
        }
        return .normal
    }

    private func applyFilters(_ filters: [FilterCall], to value: Value, scope: Scope) throws -> Value {
        var result = value
        for filter in filters {
            let args = try filter.args.map { try eval($0, scope) }
            let kwargs = try evalKeywords(filter.kwargs, scope)
            result = try Filters.apply(filter.name, to: result, args: args, kwargs: kwargs, renderer: self)
        }
        return result
    }

    private func assign(_ target: SetTarget, _ value: Value, scope: Scope) throws {
        switch target {
        case .names(let names):
            if names.count == 1 {
                scope.variables[names[0]] = value
                return
            }
            let items = try unpack(value, count: names.count)
            for (name, item) in zip(names, items) { scope.variables[name] = item }
        case .attribute(let object, let attribute):
            guard case .namespace(let ns) = scope.lookup(object) ?? .undefined("") else {
                throw EvalFailure.type("cannot assign attribute on non-namespace object '\(object)'")
            }
            // Namespaces are the only values that persist across loop iterations, so only they can grow
            // unbounded nesting (`set ns.x = [ns.x]`); refuse it before printing or freeing it overflows the stack.
            if value.nestingDepth(limit: ValueFormatting.maxDepth) >= ValueFormatting.maxDepth {
                throw EvalFailure.limit("value nested deeper than \(ValueFormatting.maxDepth) levels")
            }
            ns.attributes[attribute] = value
        }
    }

    private func unpack(_ value: Value, count: Int) throws -> [Value] {
        let items = try Operators.iterate(value)
        guard items.count == count else {
            throw EvalFailure.type(items.count < count
                ? "not enough values to unpack (expected \(count), got \(items.count))"
                : "too many values to unpack (expected \(count))")
        }
        return items
    }

    private func bind(_ targets: [String], _ item: Value, in scope: Scope) throws {
        if targets.count == 1 {
            scope.variables[targets[0]] = item
        } else {
            for (name, value) in zip(targets, try unpack(item, count: targets.count)) { scope.variables[name] = value }
        }
    }

    private func executeFor(_ loop: ForLoop, scope: Scope) throws -> Flow {
        var items = try Operators.iterate(try eval(loop.iterable, scope))
        if let filter = loop.filter {
            var kept: [Value] = []
            for item in items {
                try countStep()
                let filterScope = Scope(parent: scope)
                try bind(loop.targets, item, in: filterScope)
                if try eval(filter, filterScope).isTruthy { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            return try render(loop.otherwise, scope: scope)
        }
        for (i, item) in items.enumerated() {
            try countStep()
            let iterationScope = Scope(parent: scope)
            try bind(loop.targets, item, in: iterationScope)
            iterationScope.variables["loop"] = .loop(LoopState(
                index0: i, length: items.count,
                previous: i > 0 ? items[i - 1] : nil,
                next: i + 1 < items.count ? items[i + 1] : nil))
            let flow = try render(loop.body, scope: iterationScope)
            if case .breakLoop = flow { break }
        }
        return .normal
    }

    /// Calls a macro: binds arguments in a child of its defining scope and returns its rendered text.
    func callMacro(_ macro: Macro, args: [Value], kwargs: [(String, Value)], caller: Macro? = nil) throws -> Value {
        let definition = macro.definition
        guard callDepth < options.maxCallDepth else {
            throw EvalFailure.limit("macro calls nested deeper than \(options.maxCallDepth) (runaway recursion in '\(definition.name)'?)")
        }
        try countStep()
        guard args.count <= definition.parameters.count else {
            throw EvalFailure.type("macro '\(definition.name)' takes not more than \(definition.parameters.count) argument(s)")
        }
        let callScope = Scope(parent: macro.scope)
        if let caller { callScope.variables["caller"] = .macro(caller) }
        for (name, value) in zip(definition.parameters, args) { callScope.variables[name] = value }
        for (name, value) in kwargs {
            guard definition.parameters.contains(name) else {
                throw EvalFailure.type("macro '\(definition.name)' takes no keyword argument '\(name)'")
            }
            callScope.variables[name] = value
        }
        for name in definition.parameters where callScope.variables[name] == nil {
            if let fallback = definition.defaults[name] {
                callScope.variables[name] = try eval(fallback, callScope)
            } else {
                callScope.variables[name] = .undefined("parameter '\(name)' was not provided")
            }
        }
        callDepth += 1
        defer { callDepth -= 1 }
        let (text, _) = try capture { try render(definition.body, scope: callScope) }
        return .string(text)
    }
}
