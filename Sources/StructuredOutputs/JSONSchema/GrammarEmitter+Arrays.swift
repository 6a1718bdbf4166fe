/// Arrays: `[`, the items with their schemas by position, `]`, with `minItems`/`maxItems` counted
/// exactly by a chain of rules (one per position that the bounds or a prefix item make special).
extension GrammarEmitter {
    /// A `maxItems` further than this past the last special position is not enforced (the tail is
    /// left unbounded; recorded as an approximation), so a bound like 2^31 cannot make 2^31 rules.
    static let maxCountedItems = 1_024

    mutating func array(_ shape: ArrayShape) throws(JSONSchemaError) -> Symbol? {
        var maxItems = shape.maxItems
        var prefix: [Symbol] = []
        for item in shape.prefixItems {
            guard let symbol = try emit(item) else {
                // Arrays end before an item no value fits.
                maxItems = min(maxItems ?? prefix.count, prefix.count)
                break
            }
            prefix.append(symbol)
        }
        var rest: Symbol?
        if prefix.count == shape.prefixItems.count {
            rest = try emit(shape.items)
            if rest == nil { maxItems = min(maxItems ?? prefix.count, prefix.count) }
        }
        let minItems = shape.minItems
        if let maxItems, maxItems < minItems { return nil }
        // Positions from `loopStart` on behave alike (past the prefix and past minItems).
        let loopStart = max(prefix.count, minItems)
        if let bound = maxItems, bound - loopStart > Self.maxCountedItems {
            compilation.approximations.append("maxItems \(bound) not enforced past \(loopStart + Self.maxCountedItems) items")
            maxItems = nil
        }
        let comma = literal(",")
        // `following` is the sequence for "the items from position `index` on", built from the
        // last special position back to 0; nil when no items can follow there.
        let top = maxItems ?? loopStart
        var following: [Symbol]? = []
        if maxItems == nil, let rest {
            // An unbounded tail: ("," item)*, or item ("," item)* when nothing comes before it.
            let loop = try newRule("items*")
            builder.define(loop, [[], [comma, rest, .rule(loop)]])
            following = top > 0 ? [.rule(loop)] : [try rule("items", [[], [rest, .rule(loop)]])]
        }
        var index = top
        while index > 0 {
            index -= 1
            let item = index < prefix.count ? prefix[index] : rest
            var alternatives: [[Symbol]] = []
            if index >= minItems { alternatives.append([]) }
            if let item, let after = following {
                alternatives.append((index > 0 ? [comma] : []) + [item] + after)
            }
            following = alternatives.isEmpty ? nil : [try rule("items@\(index)", alternatives)]
        }
        guard let items = following else { return nil }
        return try rule("array", [[literal("[")] + items + [literal("]")]])
    }
}
