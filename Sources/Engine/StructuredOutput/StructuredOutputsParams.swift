import StructuredOutputs
import SwiftletJSON

/// What a request's output must match (vLLM's `StructuredOutputsParams`): exactly one
/// constraint, and the options vLLM accepts but does not apply (applied here).
public struct StructuredOutputsParams: Sendable, Hashable {
    public enum Constraint: Sendable, Hashable {
        /// JSON valid against this JSON Schema.
        case json(JSONValue)
        /// Any JSON object (`response_format: json_object`).
        case jsonObject
        /// Text matching this regular expression (Python `re` syntax, whole output).
        case regex(String)
        /// Exactly one of these strings.
        case choice([String])
        /// A grammar in EBNF (GBNF / Lark).
        case grammar(String)
        /// Free text with tagged, constrained parts, such as tool calls (xgrammar's structural tag);
        /// its JSON parts take the whitespace and additional-properties options below.
        case structuralTag(StructuralTag)
    }

    public var constraint: Constraint
    /// No whitespace between JSON tokens (vLLM's `disable_any_whitespace`).
    public var disableAnyWhitespace = false
    /// A schema without `additionalProperties` allows none (vLLM's `disable_additional_properties`).
    public var disableAdditionalProperties = false
    /// The whitespace allowed between JSON tokens, as a regex (vLLM's `whitespace_pattern`).
    public var whitespacePattern: String?

    public init(_ constraint: Constraint, disableAnyWhitespace: Bool = false, disableAdditionalProperties: Bool = false,
                whitespacePattern: String? = nil) {
        self.constraint = constraint
        self.disableAnyWhitespace = disableAnyWhitespace
        self.disableAdditionalProperties = disableAdditionalProperties
        self.whitespacePattern = whitespacePattern
    }
}
