extension StructuralTagCompiler {
    /// Free text, each trigger starting a tag, free text again:
    ///
    ///     result  := prefix final            (at_least_one: first prefix final)
    ///     prefix  := ε | prefix step         (stop_after_first: result := final | step after)
    ///     step    := text-then-trigger_t dispatch_t     (one alternative per trigger t)
    ///     final   := text-then-end | ε | text            (what follows, or the end of the output)
    ///
    /// where `dispatch_t` is the rest of each tag whose begin starts with `t`. A free text lexeme
    /// runs up to the first trigger, exclude or following string, which ends it; so a trigger
    /// that contains another never fires (the shorter one does, and its tags include the longer
    /// one's), and triggers that end together both fire (the parser keeps both readings).
    mutating func triggeredTags(_ triggered: StructuralTag.TriggeredTags, path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        let triggers = triggered.triggers
        guard !triggers.isEmpty, !triggers.contains("") else {
            throw .invalid(message: "triggered_tags needs non-empty triggers", path: path + "/triggers")
        }
        guard !triggered.tags.isEmpty else { throw .invalid(message: "triggered_tags needs at least one tag", path: path + "/tags") }
        for (index, tag) in triggered.tags.enumerated() where !triggers.contains(where: { tag.begin.hasPrefix($0) }) {
            throw .invalid(message: "the tag's begin \(tag.begin.debugDescription) starts with none of the triggers", path: "\(path)/tags/\(index)/begin")
        }
        var following: [String] = []
        if case .strings(let strings) = follow { following = strings }
        if case .next = follow { throw unlimited(path) }
        let stops = triggers + triggered.excludes + following

        // The text up to the end of the region.
        let final: [Symbol]
        if following.isEmpty {
            guard let text = StopStringText.avoiding(triggers + triggered.excludes) else { throw .tooLarge(path: path) }
            final = [lexemeOrEmpty(text, name: "text")]
        } else {
            guard let text = StopStringText.ending(in: following, stops: stops) else { throw .tooLarge(path: path) }
            final = [builder.lexeme(text, name: "text")]
        }
        // Text up to a trigger, then the rest of a tag it starts.
        var steps: [[Symbol]] = []
        for trigger in Set(triggers).sorted() {
            guard let text = StopStringText.ending(in: [trigger], stops: stops) else { throw .tooLarge(path: path) }
            let lexeme = builder.lexeme(text, name: "text " + trigger)
            var dispatch: [[Symbol]] = []
            for (index, tag) in triggered.tags.enumerated() where tag.begin.hasPrefix(trigger) {
                let rest = String(tag.begin.unicodeScalars.dropFirst(trigger.unicodeScalars.count))
                dispatch.append(literal(rest) + (try afterBegin(tag, path: "\(path)/tags/\(index)", follow: .next)))
            }
            if !dispatch.isEmpty { steps.append([lexeme, builder.rule("dispatch " + trigger, dispatch)]) }
        }
        let step = builder.rule("step", steps)
        let afterFirst = tail(follow)

        if triggered.stopAfterFirst {
            let first = try triggered.atLeastOne ? anyTag(triggered.tags, path: path) : step
            var alternatives = [[first] + afterFirst]
            if !triggered.atLeastOne { alternatives.append(final) }
            return [builder.rule("triggered_tags", alternatives)]
        }
        let prefix = builder.declare("prefix")
        builder.define(prefix, [[], [.rule(prefix), step]])
        let loop = [Symbol.rule(prefix)] + final
        return triggered.atLeastOne ? [try anyTag(triggered.tags, path: path)] + loop : loop
    }

    /// Tags with the separator between them and nothing around them.
    mutating func tagsWithSeparator(_ list: StructuralTag.TagsWithSeparator, path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        guard !list.tags.isEmpty else { throw .invalid(message: "tags_with_separator needs at least one tag", path: path + "/tags") }
        let one = try anyTag(list.tags, path: path)
        let items: Symbol
        if list.stopAfterFirst {
            items = one
        } else {
            let repeated = builder.declare("tags")
            builder.define(repeated, [[one], [.rule(repeated)] + literal(list.separator) + [one]])
            items = .rule(repeated)
        }
        let symbols = list.atLeastOne ? [items] : [builder.rule("tags?", [[items], []])]
        return symbols + tail(follow)
    }

    /// One of `tags`, begin to end.
    mutating func anyTag(_ tags: [StructuralTag.Tag], path: String) throws(StructuralTagError) -> Symbol {
        var alternatives: [[Symbol]] = []
        for (index, tag) in tags.enumerated() {
            alternatives.append(try self.tag(tag, path: "\(path)/tags/\(index)", follow: .next))
        }
        return builder.rule("tag", alternatives)
    }
}
