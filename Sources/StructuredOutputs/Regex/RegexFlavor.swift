/// Which regex syntax a pattern is written in. The two share most syntax; where they differ the
/// parser follows the flavor (see `RegexSyntax` for the full list).
public enum RegexFlavor: Hashable, Sendable {
    /// ECMA-262, as JSON Schema's `pattern` is: a search (unanchored unless `^`/`$` say otherwise),
    /// with the `u` flag's escapes (`\u{...}`, surrogate pairs as one scalar) and Annex B's lenient
    /// literal `{`, `}` and `]`.
    case ecmascript
    /// Python `re` with the `re.ASCII` flag, as vLLM's `guided_regex` / `structured_outputs.regex`
    /// are: the whole output must match (`re.fullmatch`).
    case python
}
