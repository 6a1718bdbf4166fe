/// Grammar text in EBNF, as GBNF (llama.cpp's grammars) and XGrammar (vLLM's `grammar` /
/// `guided_grammar`) write it, to a `Grammar`.
///
/// Supported: rules `name ::= alternatives` (names of ASCII letters, digits, `_`, `-` and `.`; a
/// body runs until the next `name ::=`, over as many lines as it likes); `|`; sequences; groups
/// `( )` (empty: the empty string); the quantifiers `* + ? {m} {m,} {m,n}` (one per element; a
/// second needs parentheses); string literals `"..."` with the escapes `\n \r \t \b \f \a \v \0 \e
/// \\ \"` (any escaped ASCII punctuation is itself), `\xH...` (1 to 8 hex digits, a code point, as
/// XGrammar reads it), `\uHHHH` and `\UHHHHHHHH`; character classes `[a-z]`, `[^...]` with the same
/// escapes and `[^]` for any character; `.` (any character, line breaks included); `#` comments;
/// references to rules defined anywhere, recursive ones included (left recursion too); unused rules.
/// Text is Unicode scalars matched as their UTF-8 bytes. GBNF has no implicit whitespace: the
/// grammar has no skip lexeme.
///
/// Errors (`GrammarSyntaxError`, with offset, line and column): bad syntax, a reference to an
/// undefined rule (named), a rule defined twice, no start rule (`root` unless told otherwise), and
/// unsupported XGrammar/llama.cpp extensions: lookahead `(= ...)`, rule options `name[...]`, token
/// references `<...>`; macros such as `TagDispatch(...)` read as an undefined rule.
///
/// Lowering (`EBNFLowering`): every maximal part of a rule that is regular (uses no recursive rule)
/// becomes one lexeme, the regular rules it uses inlined, so lexeme boundaries remain only at the
/// uses of recursive rules. The caveat at those boundaries: the matcher lexes greedily, so where
/// the lexeme before a recursive rule (or the last one inside it) can go on with the text that
/// should start the next lexeme, it goes on. With `root ::= expr "a"` and
/// `expr ::= "(" expr ")" | [a-z]+`, the text `ba` is in the language but `[a-z]+` takes its `a`,
/// and the output can never end after letters: the matcher accepts `(b)a` but not `ba`. What it
/// accepts is always in the language; what it misses is only at such boundaries. Unfolding the
/// regular alternative into its use (`root ::= "(" expr ")" "a" | [a-z]+ "a"`) or a delimiter
/// between the two avoids it.
public enum EBNFSyntax {
    /// The longest grammar text, in UTF-8 bytes.
    public static let maxTextLength = 1 << 20
    /// The deepest nesting of groups.
    public static let maxNestingDepth = 100
    /// The largest count a quantifier `{m,n}` may give.
    public static let maxRepetition = 10_000
    /// The most units of lexemes (bytes of literals, scalar ranges, repetitions unrolled) and rule
    /// symbols a grammar may lower to.
    public static let maxGrammarSize = 1 << 20
    /// A regular rule larger than this (in the units of `maxGrammarSize`), or nested deeper than
    /// `maxInlineDepth`, is kept as a rule of its own rather than copied into every use.
    public static let maxInlineSize = 10_000
    public static let maxInlineDepth = 200

    /// The error for a text past `maxTextLength`, before it is read.
    static func checkLength(_ text: String) throws(GrammarSyntaxError) {
        guard text.utf8.count <= maxTextLength else {
            throw GrammarSyntaxError(.tooLarge, "the grammar is longer than \(maxTextLength) bytes", offset: 0, line: 1, column: 1)
        }
    }
}

extension Grammar {
    /// The grammar of EBNF text (GBNF / XGrammar; see `EBNFSyntax`), starting at rule `startRule`.
    public static func ebnf(_ text: String, startRule: String = "root") throws(GrammarSyntaxError) -> Grammar {
        try EBNFSyntax.checkLength(text)
        var parser = EBNFParser(text)
        let rules = try parser.parseGrammar()
        var lowering = try EBNFLowering(rules, scanner: parser.scanner, tokenLevel: false)
        return try lowering.build(start: startRule, skip: nil)
    }
}

extension Grammar {
    /// The grammar of Lark text, starting at rule `start`. The common subset, as vLLM users write
    /// it for XGrammar or llguidance: rules `name: ...` and terminals `NAME: ...` (`?` / `!`
    /// prefixes, priorities `.N` and aliases `-> name` accepted and ignored, as they shape the
    /// parse tree only); `|`, also at the start of a continuation line; `"string"` and `"string"i`;
    /// ranges `"a".."z"`; `/regex/` in Python `re` syntax with the flags `i` and `s`; groups `( )`,
    /// optionals `[ ]`; `? * +`, `~ n`, `~ n..m`, `{m}`, `{m,}`, `{m,n}`, `{,n}`; `//` and `#`
    /// comments; `%import common.NAME [-> ALIAS]` and `%import common (A, B)` of Lark's common
    /// terminals; `%ignore` (terminals, strings or regexes, merged). Unsupported (errors):
    /// templates, `%declare` and the other directives, `%json`, `%lark`, special tokens, `@name`.
    ///
    /// Without `%ignore`, rules and terminals lower as EBNF does (maximal regular parts as one
    /// lexeme). With `%ignore`, the ignored text may come between any two lexemes (and before the
    /// first and after the last), so each terminal, string, range and regex written in a rule is
    /// its own lexeme, lexed greedily like a lexer's longest match; terminals are always one
    /// lexeme each and must be regular.
    public static func lark(_ text: String) throws(GrammarSyntaxError) -> Grammar {
        try EBNFSyntax.checkLength(text)
        var parser = EBNFLarkParser(text)
        try parser.parseGrammar()
        var definitions = parser.definitions
        // Each %ignore body as a terminal whose name no grammar can write.
        for (index, ignored) in parser.ignored.enumerated() {
            definitions.append(EBNFRuleDefinition(name: "%ignore\(index)", body: ignored.body, offset: ignored.offset, isTerminal: true))
        }
        var lowering = try EBNFLowering(definitions, scanner: parser.scanner, tokenLevel: !parser.ignored.isEmpty)
        let skips = parser.ignored.indices.compactMap { lowering.regex(ofRule: "%ignore\($0)") }
        let skip: RegexNode? = skips.isEmpty ? nil : (skips.count == 1 ? skips[0] : .alternation(skips)).withoutEmpty
        return try lowering.build(start: "start", skip: skip)
    }

    /// The grammar of `structured_outputs.grammar` / `guided_grammar` text, which vLLM takes in
    /// either syntax: EBNF when some line defines a rule with `::=`, Lark otherwise.
    public static func ebnfOrLark(_ text: String) throws(GrammarSyntaxError) -> Grammar {
        EBNFSyntax.looksLikeEBNF(text) ? try ebnf(text) : try lark(text)
    }
}

extension EBNFSyntax {
    /// Whether a line of `text` starts with `name ::=`.
    static func looksLikeEBNF(_ text: String) -> Bool {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let trimmed = line.drop(while: isSpace)
            let afterName = trimmed.drop(while: { $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) })
            if afterName.count < trimmed.count && afterName.drop(while: isSpace).hasPrefix("::=") { return true }
        }
        return false
    }
}
