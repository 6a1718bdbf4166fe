import Testing
@testable import StructuredOutputs

/// Every kind of bad grammar text: the error's kind, line, column (in scalars) and message.
@Suite struct EBNFSyntaxErrorTests {
    typealias Case = EBNFErrorCase

    static let cases: [Case] = [
        Case(text: "root ::= foo", kind: .undefinedRule, line: 1, column: 10, message: "rule 'foo' is not defined"),
        Case(text: "root ::= a\na ::= b c\nb ::= \"x\"", kind: .undefinedRule, line: 2, column: 9, message: "rule 'c' is not defined"),
        Case(text: "root ::= \"a\"\nunused ::= (\"b\" | missing-rule)*", kind: .undefinedRule, line: 2, column: 19, message: "'missing-rule'"),
        Case(text: "start ::= \"a\"", kind: .missingStartRule, line: 1, column: 1, message: "no 'root' rule"),
        Case(text: "", kind: .missingStartRule, line: 1, column: 1, message: "no 'root' rule"),
        Case(text: "root ::= \"a\"\n\nroot ::= \"b\"", kind: .duplicateRule, line: 3, column: 1, message: "defined twice (first at line 1)"),
        Case(text: "root ::= \"abc", kind: .invalid, line: 1, column: 10, message: "unterminated string"),
        Case(text: "root ::= \"ab\ncd\"", kind: .invalid, line: 1, column: 10, message: "unterminated string"),
        Case(text: "root ::= \"a\\qb\"", kind: .invalid, line: 1, column: 12, message: "unknown escape '\\q'"),
        Case(text: "root ::= \"\\u12\"", kind: .invalid, line: 1, column: 11, message: "exactly 4 hex digits"),
        Case(text: "root ::= \"\\x\"", kind: .invalid, line: 1, column: 11, message: "at least 1 hex digit"),
        Case(text: "root ::= \"\\uD800\"", kind: .invalid, line: 1, column: 11, message: "U+D800 is not a Unicode scalar value"),
        Case(text: "root ::= [\\U00110000]", kind: .invalid, line: 1, column: 11, message: "U+110000 is not"),
        Case(text: "root ::= [z-a]", kind: .invalid, line: 1, column: 13, message: "below its start"),
        Case(text: "root ::= []", kind: .invalid, line: 1, column: 10, message: "empty character class"),
        Case(text: "root ::= [abc", kind: .invalid, line: 1, column: 10, message: "unterminated character class"),
        Case(text: "root = \"a\"", kind: .invalid, line: 1, column: 6, message: "expected '::=' after the rule name 'root'"),
        Case(text: "::= \"a\"", kind: .invalid, line: 1, column: 1, message: "expected a rule name"),
        Case(text: "root ::= (\"a\" | \"b\"\nx ::= \"c\"", kind: .invalid, line: 2, column: 1, message: "expected ')'"),
        Case(text: "root ::= \"a\")", kind: .invalid, line: 1, column: 13, message: "unbalanced ')'"),
        Case(text: "root ::= * \"a\"", kind: .invalid, line: 1, column: 10, message: "'*' has nothing to repeat"),
        Case(text: "root ::= \"a\"*+", kind: .invalid, line: 1, column: 14, message: "cannot follow another"),
        Case(text: "root ::= \"a\"{,3}", kind: .invalid, line: 1, column: 14, message: "expected a count"),
        Case(text: "root ::= \"a\"{3,2}", kind: .invalid, line: 1, column: 13, message: "maximum 2 is below its minimum 3"),
        Case(text: "root ::= \"a\"{2", kind: .invalid, line: 1, column: 15, message: "expected '}'"),
        Case(text: "root ::= \"a\"{10001}", kind: .tooLarge, line: 1, column: 14, message: "above 10000"),
        Case(text: "root ::= 'a'", kind: .invalid, line: 1, column: 10, message: "double quotes"),
        Case(text: "root ::= \"a\" $", kind: .invalid, line: 1, column: 14, message: "unexpected '$'"),
        Case(text: "root ::= \"a\" \u{1}", kind: .invalid, line: 1, column: 14, message: "unexpected U+0001"),
        Case(text: "root ::= \"a\" (= \"b\")", kind: .unsupported, line: 1, column: 14, message: "lookahead"),
        Case(text: "root ::= x\nx[temperature=0.5] ::= \"a\"", kind: .unsupported, line: 2, column: 2, message: "rule options"),
        Case(text: "root ::= <[128010]> \"a\"", kind: .unsupported, line: 1, column: 10, message: "token references"),
        Case(text: "root ::= TagDispatch((\"<t>\", x))", kind: .invalid, line: 1, column: 28, message: "unexpected ','"),
        // Columns count Unicode scalars, not bytes.
        Case(text: "root ::= \"日本\" foo", kind: .undefinedRule, line: 1, column: 15, message: "'foo'"),
        // Comments and CRLF line ends.
        Case(text: "# the root\r\nroot ::= a # a comment\r\n  | b\r\na ::= \"a\"", kind: .undefinedRule, line: 3, column: 5, message: "rule 'b'"),
    ]

    @Test(arguments: cases) func errorHasKindAndPosition(_ test: Case) {
        test.check { text throws(GrammarSyntaxError) in try Grammar.ebnf(text) }
    }

    @Test func offsetCountsScalarsFromTheStart() {
        #expect(throws: GrammarSyntaxError(.undefinedRule, "rule 'b' is not defined", offset: 25, line: 2, column: 11)) {
            try Grammar.ebnf("root ::= \"é\" a\na ::= \"x\" b")
        }
    }

    @Test func nestingIsCapped() throws {
        let deepest = String(repeating: "(", count: EBNFSyntax.maxNestingDepth) + "\"a\"" + String(repeating: ")", count: EBNFSyntax.maxNestingDepth)
        _ = try Grammar.ebnf("root ::= " + deepest)
        let tooDeep = "root ::= (" + deepest + ")"
        #expect { try Grammar.ebnf(tooDeep) } throws: { error in
            (error as? GrammarSyntaxError)?.kind == .tooLarge && (error as? GrammarSyntaxError)?.column == 110
        }
        // Far deeper input fails the same way, without running out of stack.
        let hostile = "root ::= " + String(repeating: "(", count: 200_000)
        #expect { try Grammar.ebnf(hostile) } throws: { error in (error as? GrammarSyntaxError)?.kind == .tooLarge }
    }

    @Test func textLengthIsCapped() {
        let long = "root ::= \"" + String(repeating: "a", count: EBNFSyntax.maxTextLength) + "\""
        #expect(throws: GrammarSyntaxError(.tooLarge, "the grammar is longer than \(EBNFSyntax.maxTextLength) bytes", offset: 0, line: 1, column: 1)) {
            try Grammar.ebnf(long)
        }
    }

    @Test func otherStartRule() throws {
        let grammar = try Grammar.ebnf("main ::= \"a\"", startRule: "main")
        #expect(grammar.rules[grammar.start.index].name == "main")
        #expect(throws: GrammarSyntaxError.self) { try Grammar.ebnf("main ::= \"a\"") }
    }
}
