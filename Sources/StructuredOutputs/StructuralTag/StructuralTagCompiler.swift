import SwiftletJSON

/// Lowers a `StructuralTag` to a `Grammar` (no global skip text: JSON parts carry their own
/// whitespace, see `GrammarBuilder.embed`).
///
/// The matcher lexes greedily, so a region of free text (`any_text`, the text of
/// `triggered_tags`) must end inside its own lexeme: each format is emitted together with what
/// follows it (`Follow`), and free text becomes one lexeme running up to and including the first
/// string that ends it (`StopStringText`). Free text may therefore stand last, inside a tag (its
/// end follows), or before a `const_string` or `tag` in a sequence; elsewhere it is refused.
///
/// JSON parts allow the schema's whitespace before the value and, when something follows it,
/// after it (`<tool_call>\n{...}\n</tool_call>`).
public struct StructuralTagCompiler {
    /// What comes after a format.
    enum Follow {
        /// Nothing: the output ends.
        case outputEnd
        /// Another format, which the caller emits.
        case next
        /// One of these strings, which the format's symbols include.
        case strings([String])
    }

    typealias Symbol = Grammar.Symbol

    let options: JSONSchemaOptions
    var builder = GrammarBuilder()

    /// The grammar of `tag`; JSON parts compile with `options` (whitespace, additional properties,
    /// the pattern parser and limits).
    public static func compile(_ tag: StructuralTag, options: JSONSchemaOptions = JSONSchemaOptions()) throws(StructuralTagError) -> Grammar {
        var compiler = StructuralTagCompiler(options: options)
        let start = compiler.builder.declare("structural_tag")
        let symbols = try compiler.emit(tag.format, path: "/format", follow: .outputEnd)
        compiler.builder.define(start, [symbols])
        return compiler.builder.build(start: start, skip: nil)
    }

    /// The symbols of `format` followed by `follow`.
    mutating func emit(_ format: StructuralTag.Format, path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        switch format {
        case .constString(let text):
            return literal(text) + tail(follow)
        case .jsonSchema(let schema):
            return try json(schema, path: path + "/json_schema", follow: follow)
        case .regex(let pattern):
            let node: RegexNode
            do { node = try RegexSyntax.parse(pattern, flavor: .python) } catch { throw .regex(error, path: path + "/pattern") }
            return [lexemeOrEmpty(node, name: "regex")] + tail(follow)
        case .anyText(let excludes):
            return try anyText(excludes: excludes, path: path, follow: follow)
        case .sequence(let elements):
            return try sequence(elements, path: path, follow: follow)
        case .or(let elements):
            guard !elements.isEmpty else { throw .invalid(message: "'or' needs at least one element", path: path + "/elements") }
            var alternatives: [[Symbol]] = []
            for (index, element) in elements.enumerated() {
                alternatives.append(try emit(element, path: "\(path)/elements/\(index)", follow: follow))
            }
            return [builder.rule("or", alternatives)]
        case .optional(let content):
            return [builder.rule("optional", [try emit(content, path: path + "/content", follow: follow), tail(follow)])]
        case .star(let content), .plus(let content):
            if Self.isUnlimited(content) { throw unlimited(path + "/content") }
            let once = try emit(content, path: path + "/content", follow: .next)
            let repeated = builder.declare("repeat")
            var isPlus = false
            if case .plus = format { isPlus = true }
            builder.define(repeated, [isPlus ? once : [], [.rule(repeated)] + once])
            return [.rule(repeated)] + tail(follow)
        case .tag(let tag):
            return try self.tag(tag, path: path, follow: follow)
        case .triggeredTags(let triggered):
            return try triggeredTags(triggered, path: path, follow: follow)
        case .tagsWithSeparator(let list):
            return try tagsWithSeparator(list, path: path, follow: follow)
        }
    }

    mutating func tag(_ tag: StructuralTag.Tag, path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        literal(tag.begin) + (try afterBegin(tag, path: path, follow: follow))
    }

    /// A tag without its begin: the content, an end, then `follow`.
    mutating func afterBegin(_ tag: StructuralTag.Tag, path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        guard !tag.ends.isEmpty, !tag.ends.contains("") else {
            throw .invalid(message: "a tag needs a non-empty end", path: path + "/end")
        }
        return try emit(tag.content, path: path + "/content", follow: .strings(tag.ends)) + tail(follow)
    }

    /// Elements in turn; free text before a `const_string` or `tag` runs up to its first string.
    private mutating func sequence(_ elements: [StructuralTag.Format], path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        var symbols: [Symbol] = []
        var index = 0
        while index < elements.count {
            let elementPath = "\(path)/elements/\(index)"
            let isLast = index == elements.count - 1
            if !isLast, Self.isUnlimited(elements[index]) {
                let nextPath = "\(path)/elements/\(index + 1)"
                let nextFollow = index + 1 == elements.count - 1 ? follow : .next
                switch elements[index + 1] {
                case .constString(let text) where !text.isEmpty:
                    symbols += try emit(elements[index], path: elementPath, follow: .strings([text])) + tail(nextFollow)
                case .tag(let tag) where !tag.begin.isEmpty:
                    symbols += try emit(elements[index], path: elementPath, follow: .strings([tag.begin]))
                    symbols += try afterBegin(tag, path: nextPath, follow: nextFollow)
                default:
                    throw unlimited(elementPath)
                }
                index += 2
                continue
            }
            symbols += try emit(elements[index], path: elementPath, follow: isLast ? follow : .next)
            index += 1
        }
        if elements.isEmpty { symbols += tail(follow) }
        return symbols
    }

    /// Whether `format` ends in free text, which needs to know what ends it.
    static func isUnlimited(_ format: StructuralTag.Format) -> Bool {
        switch format {
        case .anyText, .triggeredTags: return true
        case .sequence(let elements): return elements.last.map(isUnlimited) ?? false
        case .or(let elements): return elements.contains(where: isUnlimited)
        case .optional(let content), .star(let content), .plus(let content): return isUnlimited(content)
        case .constString, .jsonSchema, .regex, .tag, .tagsWithSeparator: return false
        }
    }

    func unlimited(_ path: String) -> StructuralTagError {
        .unsupported(field: "type", message: "free text (any_text, triggered_tags) must end the output, be a tag's content, or come right before a const_string or tag in a sequence",
                     path: path)
    }

    // MARK: Pieces

    /// The lexeme of `text`, or nothing for the empty text.
    mutating func literal(_ text: String) -> [Symbol] {
        text.isEmpty ? [] : [builder.lexeme(.literal(text), name: text)]
    }

    /// The strings that follow, as one lexeme (nothing unless `follow` names strings).
    mutating func tail(_ follow: Follow) -> [Symbol] {
        guard case .strings(let strings) = follow else { return [] }
        let options = Array(Set(strings)).sorted().filter { !$0.isEmpty }
        if options.isEmpty { return [] }
        let regex: RegexNode = options.count == 1 ? .literal(options[0]) : .alternation(options.map { .literal($0) })
        return [builder.lexeme(regex, name: options.joined(separator: "|"))]
    }

    /// A symbol for `regex`, which may match the empty text (lexemes never do).
    mutating func lexemeOrEmpty(_ regex: RegexNode, name: String) -> Symbol {
        let nonEmpty = regex.withoutEmpty
        var alternatives: [[Symbol]] = nonEmpty == .never ? [] : [[builder.lexeme(nonEmpty, name: name)]]
        if regex.matchesEmpty { alternatives.append([]) }
        return builder.rule(name, alternatives)
    }

    mutating func json(_ schema: JSONValue, path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        let grammar: Grammar
        do { grammar = try JSONSchemaCompiler.compile(schema, options: options) } catch { throw .schema(error, path: path) }
        let embedded = builder.embed(grammar, name: "json")
        let skip = embedded.optionalSkip.map { [$0] } ?? []
        if case .outputEnd = follow { return skip + [embedded.symbol] }
        return skip + [embedded.symbol] + skip + tail(follow)
    }

    mutating func anyText(excludes: [String], path: String, follow: Follow) throws(StructuralTagError) -> [Symbol] {
        switch follow {
        case .outputEnd:
            guard let text = StopStringText.avoiding(excludes) else { throw .tooLarge(path: path) }
            return [lexemeOrEmpty(text, name: "any_text")]
        case .strings(let ends):
            guard let text = StopStringText.ending(in: ends, stops: excludes + ends) else { throw .tooLarge(path: path) }
            return [builder.lexeme(text, name: "any_text")]
        case .next:
            throw unlimited(path)
        }
    }
}
