/// How `JSONSchemaCompiler` turns a schema into a grammar: whitespace, the default of
/// `additionalProperties`, the regex parser for `pattern`, and limits on the work.
public struct JSONSchemaOptions: Sendable {
    /// How a pattern text must match.
    public enum PatternUse: Sendable, Equatable {
        /// JSON Schema's `pattern` and `patternProperties`: the pattern is not anchored, so the
        /// regex must match every string in which it finds a match (`"^a"` gives `a.*`, `"b"`
        /// gives `.*b.*`).
        case search
        /// `whitespacePattern`: the regex must match the whole text, as the pattern is written.
        case wholeText
    }

    /// Turns an ECMAScript pattern into a regex over the decoded text, as `PatternUse` says. Errors
    /// it throws become `JSONSchemaError.invalidPattern`. Wire it to the regex-syntax parser.
    public typealias PatternTranslator = @Sendable (String, PatternUse) throws -> RegexNode

    /// Bounds that keep a hostile schema from running long or deep; past one, compiling throws
    /// `JSONSchemaError.limitExceeded`.
    public struct Limits: Sendable, Equatable {
        /// JSON values in the schema document (objects, arrays, strings, numbers...). The largest
        /// MaskBench schema has about 25,000; a 1 MB schema about 80,000.
        public var maxSchemaValues: Int
        /// Nested subschemas the compiler follows at once (through properties, items, `$ref`...).
        public var maxDepth: Int
        /// Steps of lowering and merging subschemas (each `allOf`/`anyOf` product counts).
        public var maxWork: Int
        /// Rules in the grammar.
        public var maxRules: Int

        public init(maxSchemaValues: Int = 50_000, maxDepth: Int = 64, maxWork: Int = 200_000, maxRules: Int = 50_000) {
            self.maxSchemaValues = maxSchemaValues
            self.maxDepth = maxDepth
            self.maxWork = maxWork
            self.maxRules = maxRules
        }
    }

    /// Whether JSON whitespace (`[ \t\n\r]*`) may stand between any two tokens of the output, as
    /// JSON allows. False: no whitespace at all, compact separators `,` and `:` (vLLM's
    /// `disable_any_whitespace`).
    public var anyWhitespace: Bool
    /// A regex (parsed by `patternToRegex`) for the text allowed between tokens, replacing the
    /// default whitespace (vLLM's `whitespace_pattern`); it wins over `anyWhitespace`.
    public var whitespacePattern: String?
    /// What a schema without `additionalProperties` allows besides its named properties: true
    /// (any, as JSON Schema says) or false (none, vLLM's `disable_additional_properties`).
    public var additionalPropertiesDefault: Bool
    /// The parser for `pattern`; nil makes any `pattern` an `unsupported` error.
    public var patternToRegex: PatternTranslator?
    public var limits: Limits

    public init(
        anyWhitespace: Bool = true,
        whitespacePattern: String? = nil,
        additionalPropertiesDefault: Bool = true,
        patternToRegex: PatternTranslator? = nil,
        limits: Limits = Limits()
    ) {
        self.anyWhitespace = anyWhitespace
        self.whitespacePattern = whitespacePattern
        self.additionalPropertiesDefault = additionalPropertiesDefault
        self.patternToRegex = patternToRegex
        self.limits = limits
    }
}
