import SwiftletJSON

/// An output made of free text and tagged, constrained parts (xgrammar's structural tag, as vLLM
/// takes it in `response_format` and `structured_outputs.structural_tag`): for example text in
/// which every `<tool_call>` must go on as JSON valid against a tool's schema and `</tool_call>`.
///
/// A tree of formats; `StructuralTagCompiler` lowers it to a `Grammar`. Build one in Swift with
/// `init(triggers:structures:)` or the `Format` cases, or decode the JSON forms with `init(json:)`.
public struct StructuralTag: Sendable, Hashable {
    public var format: Format

    public init(format: Format) { self.format = format }

    /// One piece of the output (xgrammar's format objects, by their `type`).
    public indirect enum Format: Sendable, Hashable {
        /// `const_string`: exactly this text.
        case constString(String)
        /// `json_schema`: JSON valid against the schema.
        case jsonSchema(JSONValue)
        /// `regex`: text matching the pattern as a whole (Python `re` syntax).
        case regex(String)
        /// `any_text`: any text in which none of `excludes` occurs, up to what ends it (the end of
        /// the enclosing tag, the next literal of a sequence, or the end of the output).
        case anyText(excludes: [String])
        /// `sequence`: each element in turn.
        case sequence([Format])
        /// `or`: one of the elements.
        case or([Format])
        /// `optional`, `star`, `plus`: the content at most once, any number of times, at least once.
        case optional(Format)
        case star(Format)
        case plus(Format)
        /// `tag`: begin, content, one of the ends.
        case tag(Tag)
        /// `triggered_tags`: free text in which each trigger starts a tag.
        case triggeredTags(TriggeredTags)
        /// `tags_with_separator`: tags with the separator between them and nothing else.
        case tagsWithSeparator(TagsWithSeparator)
    }

    /// `begin`, then the content, then one of `ends`.
    public struct Tag: Sendable, Hashable {
        public var begin: String
        public var content: Format
        /// Never empty (xgrammar's `end` is a string or a list of strings).
        public var ends: [String]

        public init(begin: String, content: Format, ends: [String]) {
            self.begin = begin
            self.content = content
            self.ends = ends
        }

        public init(begin: String, content: Format, end: String) {
            self.init(begin: begin, content: content, ends: [end])
        }
    }

    /// Free text until a trigger occurs; the text then goes on as one of the tags whose begin
    /// starts with that trigger, and after the tag's end, free text again.
    public struct TriggeredTags: Sendable, Hashable {
        public var triggers: [String]
        public var tags: [Tag]
        /// The output starts with a tag (no free text before the first one).
        public var atLeastOne: Bool
        /// Nothing follows the first tag.
        public var stopAfterFirst: Bool
        /// Strings the free text must not contain.
        public var excludes: [String]

        public init(triggers: [String], tags: [Tag], atLeastOne: Bool = false, stopAfterFirst: Bool = false, excludes: [String] = []) {
            self.triggers = triggers
            self.tags = tags
            self.atLeastOne = atLeastOne
            self.stopAfterFirst = stopAfterFirst
            self.excludes = excludes
        }
    }

    /// Tags one after another with `separator` between them (none when `atLeastOne` is false).
    public struct TagsWithSeparator: Sendable, Hashable {
        public var tags: [Tag]
        public var separator: String
        public var atLeastOne: Bool
        public var stopAfterFirst: Bool

        public init(tags: [Tag], separator: String, atLeastOne: Bool = false, stopAfterFirst: Bool = false) {
            self.tags = tags
            self.separator = separator
            self.atLeastOne = atLeastOne
            self.stopAfterFirst = stopAfterFirst
        }
    }

    /// One structure of the legacy form: `begin`, JSON valid against `schema`, `end`.
    public struct Structure: Sendable, Hashable {
        public var begin: String
        public var schema: JSONValue
        public var end: String

        public init(begin: String, schema: JSONValue, end: String) {
            self.begin = begin
            self.schema = schema
            self.end = end
        }
    }

    /// The legacy form (`structures` and `triggers`): free text in which each trigger starts one
    /// of the structures whose begin starts with it, such as hermes tool calls:
    /// `StructuralTag(triggers: ["<tool_call>"], structures: [.init(begin: "<tool_call>", schema: parameters, end: "</tool_call>")])`.
    /// `stopAfterFirst` ends the output after the first structure (no parallel tool calls).
    public init(triggers: [String], structures: [Structure], atLeastOne: Bool = false, stopAfterFirst: Bool = false) {
        let tags = structures.map { Tag(begin: $0.begin, content: .jsonSchema($0.schema), end: $0.end) }
        self.init(format: .triggeredTags(TriggeredTags(triggers: triggers, tags: tags, atLeastOne: atLeastOne,
                                                       stopAfterFirst: stopAfterFirst)))
    }
}
