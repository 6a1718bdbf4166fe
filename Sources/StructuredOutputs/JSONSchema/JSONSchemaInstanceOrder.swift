import SwiftletJSON

/// Puts the members of a JSON instance in the order the compiled grammar of its schema requires:
/// for each object, the properties the schema names in the schema's order, then the other
/// members in their document order. Benchmarks and tests use it to write valid instances the way
/// a generator constrained by the schema would (JSON objects are unordered, so the instance stays
/// the same value); MaskBench's data files were put in llguidance's order the same way.
///
/// Where the schema offers alternatives (`anyOf`, `oneOf`, several types), the first alternative
/// that has the instance's type and names the most of its members decides.
public enum JSONSchemaInstanceOrder {
    public static func reordered(_ instance: JSONValue, schema: JSONValue, options: JSONSchemaOptions = JSONSchemaOptions()) throws(JSONSchemaError) -> JSONValue {
        try JSONSchemaCompiler.checkSize(of: schema, limits: options.limits)
        let compilation = try SchemaCompilation(root: schema, options: options)
        let node = try compilation.lower(schema, at: JSONPointer())
        var ordering = Ordering(compilation: compilation)
        return ordering.reordered(instance, node, depth: 0)
    }

    private struct Ordering {
        let compilation: SchemaCompilation

        /// The node with references resolved (nil when one does not resolve).
        func resolved(_ node: SchemaNode) -> SchemaNode? {
            var current = node
            var hops = 0
            while case .reference(let key) = current {
                hops += 1
                guard hops < 64, let target = try? compilation.resolve(key, at: JSONPointer()) else { return nil }
                current = target
            }
            return current
        }

        /// How well a node fits a value: nil when it plainly does not (another type, a string
        /// its regexes reject, a member its schema rejects), else a score that grows with the
        /// members and items it names and fits.
        func fit(_ node: SchemaNode, _ value: JSONValue, depth: Int) -> Int? {
            guard depth < 32, let node = resolved(node) else { return nil }
            switch (node, value) {
            case (.any, _): return 0
            case (.anyOf(let options), _): return options.compactMap { fit($0, value, depth: depth + 1) }.max()
            case (.null, .null), (.boolean, .bool): return 1
            case (.number(let shape), .number(let number)): return !shape.isInteger || number.isInteger ? 1 : nil
            case (.string(let shape), .string(let text)):
                let length = text.unicodeScalars.count
                guard length >= shape.minLength, shape.maxLength.map({ length <= $0 }) ?? true,
                      shape.regexes.allSatisfy({ RegexDerivatives.matches($0, text) }) else { return nil }
                return 1
            case (.array(let shape), .array(let items)):
                var score = 1
                for (index, item) in items.enumerated().prefix(16) {
                    guard let itemFit = fit(index < shape.prefixItems.count ? shape.prefixItems[index] : shape.items, item, depth: depth + 1) else { return nil }
                    score += itemFit
                }
                return score
            case (.object(let shape), .object(let object)):
                var score = 1
                if shape.required.contains(where: { object[$0] == nil }) { return nil }
                for (key, member) in object {
                    let named = shape.propertyIndex(key) != nil || shape.isRequired(key)
                    guard let schema = try? compilation.memberSchema(shape, key, at: JSONPointer()),
                          let memberFit = fit(schema, member, depth: depth + 1) else { return nil }
                    score += memberFit + (named ? 1 : 0)
                }
                return score
            default: return nil
            }
        }

        mutating func reordered(_ value: JSONValue, _ node: SchemaNode, depth: Int) -> JSONValue {
            guard depth < JSONValue.maxNestingDepth, let node = resolved(node) else { return value }
            switch (node, value) {
            case (.anyOf(let options), _):
                // The best-fitting option decides (the first among equals).
                var best: SchemaNode?
                var bestFit = Int.min
                for option in options {
                    let score = fit(option, value, depth: 0) ?? -1
                    if score > bestFit { best = option; bestFit = score }
                }
                return best.map { reordered(value, $0, depth: depth + 1) } ?? value
            case (.array(let shape), .array(let items)):
                return .array(items.enumerated().map { index, item in
                    reordered(item, index < shape.prefixItems.count ? shape.prefixItems[index] : shape.items, depth: depth + 1)
                })
            case (.object(let shape), .object(let object)):
                let names = shape.orderedNames
                var placed = Array(repeating: false, count: object.count)
                var members: [JSONObject.Element] = []
                func member(_ index: Int) -> JSONObject.Element {
                    let key = object.keys[index]
                    let schema = (try? compilation.memberSchema(shape, key, at: JSONPointer())) ?? .any
                    return (key, reordered(object.values[index], schema, depth: depth + 1))
                }
                for name in names {
                    for index in object.indices where !placed[index] && object.keys[index].utf8.elementsEqual(name.utf8) {
                        placed[index] = true
                        members.append(member(index))
                    }
                }
                for index in object.indices where !placed[index] { members.append(member(index)) }
                return .object(JSONObject(members: members))
            default:
                return value
            }
        }
    }
}
