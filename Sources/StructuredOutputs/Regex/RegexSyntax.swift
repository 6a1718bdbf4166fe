/// Regex text (ECMAScript or Python `re`) to the `RegexNode` of the whole text it accepts.
///
/// Supported, in both flavors unless said: literals; escapes `\n \t \r \f \v \0 \xHH \uHHHH`,
/// `\u{H...}` (ECMAScript; a `\uD83D\uDE00` surrogate pair is one scalar), `\UHHHHHHHH`, `\a` and
/// octal `\0oo` / `\ooo` (Python), `\cX` (ECMAScript), any escaped non-alphanumeric character;
/// classes `[...]` with ranges, negation and the escapes `\d \D \w \W \s \S` and `\b` (backspace)
/// inside; `.`; groups `(...)`, `(?:...)`, `(?P<name>...)` and `(?<name>...)` (either spelling in
/// either flavor); Python comments `(?#...)`; alternation; the quantifiers `* + ? {m} {m,} {m,n}`
/// (Python also `{,n}`), greedy or lazy (the same language); the anchors `^ $` (and Python's `\A \Z`,
/// and `\z`) where nothing can come before (after) them. Classes and `.` are described in
/// `RegexClasses`: `\d` and `\w` are ASCII in both flavors.
///
/// Unsupported (an error of kind `.unsupported` with the offset): backreferences (`\1`, `\k<n>`,
/// `(?P=n)`), lookahead and lookbehind, word boundaries `\b \B`, inline flags `(?i)`, atomic groups
/// and possessive quantifiers, conditionals, `\p{...}` and `\N{...}`, anchors elsewhere.
///
/// ECMAScript is a search: the result pads the unanchored sides with any text. Python is a full
/// match. A `{` that does not start a quantifier, a lone `}` and a lone `]` are literals (Annex B).
/// Escapes of surrogates that do not form a pair match nothing (no UTF-8 text holds one).
public enum RegexSyntax {
    /// The largest count a quantifier `{m,n}` may give.
    public static let maxRepetition = 10_000
    /// The deepest nesting of groups.
    public static let maxNestingDepth = 100

    public static func parse(_ pattern: String, flavor: RegexFlavor) throws(RegexSyntaxError) -> RegexNode {
        var parser = RegexParser(pattern: pattern, flavor: flavor)
        let ast = try parser.parsePattern()
        return try RegexAnchors.lower(ast, search: flavor == .ecmascript)
    }
}
