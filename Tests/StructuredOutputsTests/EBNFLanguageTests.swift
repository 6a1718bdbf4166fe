import Testing
@testable import StructuredOutputs

/// Grammars × texts with hand-written verdicts, each checked through the real matcher a byte at
/// a time (`EBNFTestSupport`): every part of the syntax, and the examples of the GBNF and
/// XGrammar documentation.
@Suite struct EBNFLanguageTests {
    typealias Case = EBNFLanguageCase

    static let cases: [Case] = [
        // Escapes in literals: \xH... reads a code point of up to 8 hex digits.
        Case(grammar: #"root ::= "a\n\t\"\\\x41\u00e9\U0001F600\/\x1F600""#,
             inside: ["a\n\t\"\\Aé😀/😀"], outside: ["a", "a\n\t\"\\Aé😀/\u{1F}600"]),
        // Classes with ranges, escapes and negation; `.` takes any character, line breaks too.
        Case(grammar: #"root ::= [a-c0-9_\-]+ [^a-z] ."#,
             inside: ["a-Z!", "ab\n\n", "_9\u{0}é", "--日\t"], outside: ["a-z!", "d-Z!", "aZ", "-Zé!"]),
        Case(grammar: #"root ::= [^]{2} [\]\[\^]"#, inside: ["é\n]", "ab[", "\"\"^"], outside: ["a]", "ab]]", "abc"]),
        Case(grammar: #"root ::= [^"\\\x00-\x1F]"#, inside: ["a", "é", " ", "\u{7F}"], outside: ["\"", "\\", "\n", "\u{1F}", ""]),
        // Counted repetition.
        Case(grammar: #"root ::= "a"{2} "b"{2,} "c"{1,3} "d"{0}"#,
             inside: ["aabbc", "aabbbbccc", "aabbbbbbbbbbbbc"], outside: ["abbc", "aabbcccc", "aabc", "aabbcd", "aaabbc"]),
        Case(grammar: #"root ::= ("x" ("y" | "z")?)+ "!"?"#,
             inside: ["x", "xyxz!", "xxx", "xzx!"], outside: ["xyz", "", "!", "x!!", "y"]),
        // Empty alternatives, empty groups and the empty literal.
        Case(grammar: #"root ::= "a" | | () | """#, inside: ["", "a"], outside: ["aa", "b"]),
        // Names with dashes, dots and underscores; forward references; unused rules; comments.
        Case(grammar: """
            # a greeting
            root ::= greeting-word ", " name.first  # trailing comment
            greeting-word ::= "hi" | "hello"
            name.first ::= [A-Z] [a-z]*
            unused_rule ::= "never" undefined-but-unused? | "x"
            undefined-but-unused ::= "y"
            """,
             inside: ["hi, Bob", "hello, B", "hi, Elan"], outside: ["hi, bob", "never", "hi,Bob", "hey, Bob"]),
        // A dot ending a name is `.`, any character.
        Case(grammar: "root ::= a.b a.\na.b ::= \"x\"\na ::= \"y\"", inside: ["xyz", "xy\n"], outside: ["xy", "xyzz"]),
        // A body over several lines, with line breaks anywhere.
        Case(grammar: "root ::=\n   \"a\"\n   \"b\" |\n   \"c\"\n\nother ::= \"d\"", inside: ["ab", "c"], outside: ["a", "b", "d", "abc"]),
        // A regular rule used in several places (inlined in each).
        Case(grammar: "root ::= d \"-\" d \"-\" d\nd ::= [0-9]{2}", inside: ["12-34-56"], outside: ["1-34-56", "12-34-5", "12-34-56-"]),
        // Regular parts that match the empty string next to a recursive rule.
        Case(grammar: """
            root ::= ws "[" ws (item (ws "," ws item)*)? ws "]" ws
            item ::= [0-9]+ | root
            ws ::= [ ]*
            """,
             inside: ["[]", " [ 1 , [2,[]] ] ", "[ ]", "[[[]]]", "[1,2 ,3]"], outside: ["[1,]", "[1 2]", "[", "[]]", ""]),
        Case(grammar: "root ::= e \"a\" e\ne ::= \"\" | ()", inside: ["a"], outside: ["", "aa"]),
        // Left recursion, direct and through another rule.
        Case(grammar: "root ::= list\nlist ::= list \",\" item | item\nitem ::= [0-9]+",
             inside: ["1", "1,22,333"], outside: ["", "1,", ",1", "1,,2"]),
        Case(grammar: "root ::= a \"x\" | \"y\"\na ::= root \"z\"", inside: ["y", "yzx", "yzxzx"], outside: ["yz", "x", "yzxz"]),
        // XGrammar's documentation: arithmetic with equations, and a JSON string.
        Case(grammar: """
            root ::= expr ("=" expr)*
            expr ::= term ([-+*/] term)*
            term ::= num | "(" expr ")"
            num  ::= [0-9]+
            """,
             inside: ["1+2", "(3*4)-5=7", "2=2=2", "((1))"], outside: ["1+", "(1", "=1", "1==2", ""]),
        Case(grammar: #"""
            root   ::= "\"" char* "\""
            char   ::= [^"\\\x00-\x1f] | "\\" escape
            escape ::= ["\\/bfnrt] | "u" [0-9A-Fa-f]{4}
            """#,
             inside: [#""hello""#, #""line1\nline2""#, #""\u00e9""#, #""""#, "\"é😀\""], outside: [#""abc"#, #""\x""#, #""\u00e""#, "\"a\nb\""]),
        // Unicode literals and classes, matched as UTF-8 a byte at a time.
        Case(grammar: #"root ::= "héllo" | "日本" [\u00e0-\u00ff]* | "\U0001F600"+ | [α-ω]{2}"#,
             inside: ["héllo", "日本", "日本àÿ", "😀😀", "αω"], outside: ["hello", "日本a", "日", "", "😀a", "αΩ"]),
    ]

    @Test(arguments: cases) func textsInAndOut(_ test: Case) throws {
        try test.check { text throws(GrammarSyntaxError) in try Grammar.ebnf(text) }
    }

    /// The matcher ends with EOS where the grammar may end, and not before.
    @Test func endOfSequence() throws {
        let matcher = try EBNFTestSupport.matcher(ebnf: "root ::= \"a\"+ \"b\"?")
        #expect(!matcher.acceptToken(EBNFTestSupport.eos))
        #expect(matcher.acceptToken(Int(UInt8(ascii: "a"))))
        #expect(EBNFTestSupport.maskTokens(matcher) == [Int(UInt8(ascii: "a")), Int(UInt8(ascii: "b")), EBNFTestSupport.eos])
        #expect(matcher.acceptToken(Int(UInt8(ascii: "b"))))
        #expect(EBNFTestSupport.maskTokens(matcher) == [EBNFTestSupport.eos])
        #expect(matcher.acceptToken(EBNFTestSupport.eos) && matcher.isTerminated)
    }
}
