import Testing
@testable import StructuredOutputs

/// Lark grammars through the matcher a byte at a time: the syntax subset, `%import common`,
/// `%ignore` (text between any two lexemes), errors with positions, and the EBNF/Lark choice.
@Suite struct EBNFLarkTests {
    static func matcher(_ text: String) throws -> GrammarMatcher {
        try EBNFTestSupport.matcher(try Grammar.lark(text))
    }

    typealias Case = EBNFLanguageCase

    static let cases: [Case] = [
        // XGrammar's documentation example: ignored whitespace around INT, never inside it.
        Case(grammar: "%import common.INT\n%import common.WS\n%ignore WS\n\nstart: item (\",\" item)*\nitem: \"id=\" INT",
             inside: ["id=1", "id=1, id=42", "id=1 ,id=2 , id=3", "id= 7", " id=1\n"], outside: ["id=1 2", "id=", "id=1,", "i d=1"]),
        Case(grammar: "start: value\nvalue: \"x\" | \"(\" value \")\" | \"[\" (value (\",\" value)*)? \"]\"",
             inside: ["x", "((x))", "[]", "[x,(x),[x,[]]]"], outside: ["", "(x", "[x,]", "[ x]", "xx"]),
        // Terminals, regexes, flags, ranges, optionals, counts; prefixes, priorities, aliases and
        // comments change nothing.
        Case(grammar: """
            // a comment
            ?start: NAME ("," NAME)* [";"] -> names   # another
            NAME.2: /[a-z]+/ DIGIT~0..2
            DIGIT: "0".."9"
            """,
             inside: ["ab", "ab,c1,d12", "x;"], outside: ["ab,", "a123", "A", ";"]),
        Case(grammar: "start: \"yes\"i | /n[o0]+/i | \"x\"~2 \"y\"{,2}", inside: ["yes", "YeS", "No0O", "xx", "xxyy"], outside: ["ye", "x", "xxyyy", "nO1"]),
        Case(grammar: "start: /a.c/ | /b.c/s | /[.]d/s", inside: ["abc", "aéc", "b\nc", "bxc", ".d"], outside: ["a\nc", "xd"]),
        // Continuation lines start with `|`; `!` and alias on each branch.
        Case(grammar: "!start: \"a\" -> first\n     | \"b\" \"c\"  -> second\n     | sub\nsub: \"d\"+",
             inside: ["a", "bc", "ddd"], outside: ["b", "ad", ""]),
        // Case-insensitive literals with non-letters and Unicode kept as they are.
        Case(grammar: "start: \"a-é\"i", inside: ["a-é", "A-é"], outside: ["A-É"]),
        // Common terminals.
        Case(grammar: "%import common (SIGNED_NUMBER, WS_INLINE)\n%ignore WS_INLINE\nstart: SIGNED_NUMBER+",
             inside: ["-1.5e3", "1 2.5 .5 +3E-2", "7."], outside: ["1e", "--1", ".", "1\n2"]),
        Case(grammar: "%import common.ESCAPED_STRING -> STRING\n%import common.C_COMMENT\nstart: STRING | C_COMMENT",
             inside: [#""a\"b""#, #""""#, "/* a * b **/", "/**/"], outside: [#""a"b""#, "/* a */ b */", "\"a\nb\""]),
        Case(grammar: "%import common.CNAME\n%import common.NEWLINE\nstart: (CNAME NEWLINE)+",
             inside: ["_a1\n", "x\r\ny\n\n"], outside: ["1a\n", "x"]),
    ]

    @Test(arguments: cases) func textsInAndOut(_ test: Case) throws {
        try test.check { text throws(GrammarSyntaxError) in try Grammar.lark(text) }
    }

    /// Ignored text anywhere between lexemes, and before the first and after the last.
    @Test func ignoredTextAgainstReference() throws {
        let matcher = try Self.matcher("%ignore \" \"\nstart: \"(\" start \")\" | \"xy\"")
        let members = EBNFTestSupport.expectLanguage(matcher, alphabet: ["(", ")", "x", "y", " "], maxLength: 6) { text in
            let kept = text.filter { $0 != " " }
            let depth = kept.prefix { $0 == "(" }.count
            return !text.contains("x ") && kept == String(repeating: "(", count: depth) + "xy" + String(repeating: ")", count: depth)
        }
        #expect(members > 20)
    }

    /// Every common terminal reads as a regex that matches something.
    @Test func commonTerminalsParse() throws {
        for (name, pattern) in EBNFLarkCommon.terminals {
            let node = try RegexSyntax.parse(pattern, flavor: .python)
            #expect(node.withoutEmpty != .never, "\(name)")
            _ = try Grammar.lark("%import common.\(name) -> T\nstart: T")
        }
    }

    @Test func sFlagRewritesOnlyDotsOutsideClasses() {
        #expect(EBNFLarkCommon.dotMatchesAll(#"a.[.]\.[^].]."#) == #"a[\s\S][.]\.[^].][\s\S]"#)
    }

    typealias ErrorCase = EBNFErrorCase

    static let errors: [ErrorCase] = [
        ErrorCase(text: "value: \"a\"", kind: .missingStartRule, line: 1, column: 1, message: "no 'start' rule"),
        ErrorCase(text: "start: a\n", kind: .undefinedRule, line: 1, column: 8, message: "rule 'a' is not defined"),
        ErrorCase(text: "start: A\nA: \"x\" b\nb: \"y\"", kind: .invalid, line: 2, column: 8, message: "terminal 'A' uses the rule 'b'"),
        ErrorCase(text: "start: A\nA: \"x\" A?", kind: .invalid, line: 2, column: 1, message: "terminal 'A' is recursive"),
        ErrorCase(text: "start: \"a\"\n   \"b\"", kind: .invalid, line: 2, column: 4, message: "expected a rule or terminal name"),
        ErrorCase(text: "start \"a\"", kind: .invalid, line: 1, column: 7, message: "expected ':' after 'start'"),
        ErrorCase(text: "%declare X\nstart: X", kind: .unsupported, line: 1, column: 1, message: "'%declare'"),
        ErrorCase(text: "%import common.NOPE\nstart: NOPE", kind: .invalid, line: 1, column: 16, message: "'common.NOPE'"),
        ErrorCase(text: "%import other.X\nstart: X", kind: .unsupported, line: 1, column: 9, message: "'common'"),
        ErrorCase(text: "%import common.INT\n%import common.INT\nstart: INT", kind: .duplicateRule, line: 2, column: 1, message: "'INT' is defined twice"),
        ErrorCase(text: "start: pair{\"a\"}", kind: .invalid, line: 1, column: 13, message: "expected a count"),
        ErrorCase(text: "pair{x}: x\nstart: \"a\"", kind: .unsupported, line: 1, column: 5, message: "templates"),
        ErrorCase(text: "start: /a(b/", kind: .invalid, line: 1, column: 10, message: "in the regex"),
        ErrorCase(text: "start: /a(?=b)/", kind: .unsupported, line: 1, column: 10, message: "in the regex"),
        ErrorCase(text: "start: /ab/x", kind: .unsupported, line: 1, column: 12, message: "flag 'x'"),
        ErrorCase(text: "start: \"ab", kind: .invalid, line: 1, column: 8, message: "unterminated string"),
        ErrorCase(text: "start: \"ab\"..\"c\"", kind: .invalid, line: 1, column: 8, message: "single characters"),
        ErrorCase(text: "start: %json {}", kind: .unsupported, line: 1, column: 8, message: "%json"),
        ErrorCase(text: "start: <|tool|>", kind: .unsupported, line: 1, column: 8, message: "special tokens"),
        ErrorCase(text: "start: (\"a\"", kind: .invalid, line: 1, column: 12, message: "expected ')'"),
        ErrorCase(text: "start: \"a\"~3..2", kind: .invalid, line: 1, column: 11, message: "below its minimum"),
    ]

    @Test(arguments: errors) func errorHasKindAndPosition(_ test: ErrorCase) {
        test.check { text throws(GrammarSyntaxError) in try Grammar.lark(text) }
    }

    /// vLLM takes either syntax in one field.
    @Test func ebnfOrLark() throws {
        let ebnf = try EBNFTestSupport.matcher(try Grammar.ebnfOrLark("# a comment: with a colon\nroot ::= \"a\" b\nb ::= \"b\""))
        #expect(EBNFTestSupport.accepts(ebnf, "ab"))
        let lark = try EBNFTestSupport.matcher(try Grammar.ebnfOrLark("start: \"a\" b // x ::= y\nb: \"b\""))
        #expect(EBNFTestSupport.accepts(lark, "ab"))
        #expect(throws: GrammarSyntaxError.self) { try Grammar.ebnfOrLark("root: ::= \"a\"") }
    }
}
