import Testing
@testable import StructuredOutputs

/// Every text up to a length over a small alphabet, through the matcher, against an independent
/// reference: the standard library's `Regex` for regular grammars, hand-written recognizers for
/// the recursive ones (balanced brackets, arithmetic, a JSON subset).
@Suite struct EBNFReferenceTests {
    static func regex(_ pattern: String) -> (String) -> Bool {
        let regex = try! Regex(pattern)
        return { (try? regex.wholeMatch(in: $0)) != nil }
    }

    struct RegularCase: CustomTestStringConvertible, Sendable {
        var grammar: String
        var pattern: String
        var alphabet: [Character]
        var maxLength: Int
        var testDescription: String { pattern }
    }

    static let regularCases: [RegularCase] = [
        // Lexed as one lexeme `[a-z]*x`; with a lexeme per class and literal, greedy lexing
        // would let `[a-z]*` take the final x.
        RegularCase(grammar: #"root ::= [a-z]* "x""#, pattern: "[a-z]*x", alphabet: ["a", "x", "b"], maxLength: 6),
        RegularCase(grammar: #"root ::= ("ab" | "a") ("b" | "bc")?"#, pattern: "(ab|a)(b|bc)?", alphabet: ["a", "b", "c"], maxLength: 5),
        RegularCase(grammar: #"root ::= [ab]{2,3} ("c" [ab]?)*"#, pattern: "[ab]{2,3}(c[ab]?)*", alphabet: ["a", "b", "c"], maxLength: 6),
        RegularCase(grammar: "root ::= x? y\nx ::= \"a\"*\ny ::= \"a\" \"b\"?", pattern: "(a*)?ab?", alphabet: ["a", "b"], maxLength: 6),
        RegularCase(grammar: "root ::= w (\" \" w)* \".\"\nw ::= [a-c]+", pattern: "[a-c]+( [a-c]+)*\\.", alphabet: ["a", "c", " ", "."], maxLength: 6),
        RegularCase(grammar: "root ::= (a | b)*\na ::= \"ab\"\nb ::= \"a\" | \"ba\"", pattern: "(ab|a|ba)*", alphabet: ["a", "b"], maxLength: 8),
        RegularCase(grammar: #"root ::= "h" "é"* | "日本" [\u00e0-\u00ff]? | "\U0001F600"+"#,
                    pattern: "hé*|日本[\\u{e0}-\\u{ff}]?|😀+", alphabet: ["h", "é", "日", "本", "à", "😀", "a"], maxLength: 4),
    ]

    @Test(arguments: regularCases) func regularGrammarAgainstRegex(_ test: RegularCase) throws {
        let grammar = try Grammar.ebnf(test.grammar)
        #expect(grammar.lexemes.count == 1, "a regular grammar is one lexeme")
        EBNFTestSupport.expectLanguage(try EBNFTestSupport.matcher(grammar), alphabet: test.alphabet, maxLength: test.maxLength,
                                       reference: Self.regex(test.pattern))
    }

    @Test func leftRecursion() throws {
        let matcher = try EBNFTestSupport.matcher(ebnf: "root ::= root \"a\" | \"b\"")
        EBNFTestSupport.expectLanguage(matcher, alphabet: ["a", "b"], maxLength: 8, reference: Self.regex("ba*"))
        let list = try EBNFTestSupport.matcher(ebnf: "root ::= list\nlist ::= list \",\" item | item | list \";\"\nitem ::= [0-9]+")
        EBNFTestSupport.expectLanguage(list, alphabet: ["1", "2", ",", ";"], maxLength: 6, reference: Self.regex("[0-9]+(,[0-9]+|;)*"))
    }

    @Test func balancedBrackets() throws {
        let parentheses = try EBNFTestSupport.matcher(ebnf: "root ::= \"\" | \"(\" root \")\" root")
        let members = EBNFTestSupport.expectLanguage(parentheses, alphabet: ["(", ")", "x"], maxLength: 8) { text in
            var depth = 0
            for character in text {
                if character == "(" { depth += 1 } else if character == ")" { depth -= 1 } else { return false }
                if depth < 0 { return false }
            }
            return depth == 0
        }
        #expect(members == 1 + 1 + 2 + 5 + 14, "Catalan numbers of pairs up to 4")
        let mixed = try EBNFTestSupport.matcher(ebnf: "root ::= (\"(\" root \")\" | \"[\" root \"]\")*")
        EBNFTestSupport.expectLanguage(mixed, alphabet: ["(", ")", "[", "]"], maxLength: 7) { text in
            var stack: [Character] = []
            for character in text {
                switch character {
                case "(", "[": stack.append(character)
                case ")": guard stack.popLast() == "(" else { return false }
                default: guard stack.popLast() == "[" else { return false }
                }
            }
            return stack.isEmpty
        }
    }

    /// Expressions with binary and unary minus, precedence levels and parentheses.
    @Test func arithmetic() throws {
        let matcher = try EBNFTestSupport.matcher(ebnf: """
            root   ::= expr
            expr   ::= term (("+" | "-") term)*
            term   ::= factor (("*" | "/") factor)*
            factor ::= [0-9]+ | "(" expr ")" | "-" factor
            """)
        let members = EBNFTestSupport.expectLanguage(matcher, alphabet: ["1", "2", "+", "-", "*", "(", ")"], maxLength: 5) { text in
            var parser = ArithmeticReference(Array(text))
            return parser.expression() && parser.position == parser.text.count
        }
        #expect(members > 500)
    }

    /// A JSON subset in the style of llama.cpp's json.gbnf: whitespace after values, `{`, `[`, `,` and `:`.
    @Test func jsonLike() throws {
        let matcher = try EBNFTestSupport.matcher(ebnf: #"""
            root   ::= ws value
            value  ::= (object | array | string | number | "true" | "null") ws
            object ::= "{" ws ( string ":" ws value ("," ws string ":" ws value)* )? "}"
            array  ::= "[" ws ( value ("," ws value)* )? "]"
            string ::= "\"" [a-z]* "\""
            number ::= "-"? [0-9]+
            ws     ::= " "*
            """#)
        for text in [#"{"a": [1, -2, {}], "b": null}"#, "[true,null ]", " 1 "] {
            #expect(EBNFTestSupport.accepts(matcher, text), "\(text)")
        }
        let members = EBNFTestSupport.expectLanguage(matcher, alphabet: ["[", "]", "{", "}", "\"", ":", ",", "1", " ", "a"], maxLength: 5) { text in
            var parser = JSONReference(Array(text))
            parser.whitespace()
            return parser.value() && parser.position == parser.text.count
        }
        #expect(members > 100)
    }
}

/// expr := term (("+" | "-") term)*, term := factor (("*" | "/") factor)*,
/// factor := digits | "(" expr ")" | "-" factor. Each choice is decided by one character.
struct ArithmeticReference {
    let text: [Character]
    var position = 0
    init(_ text: [Character]) { self.text = text }

    var next: Character? { position < text.count ? text[position] : nil }

    mutating func expression() -> Bool { chain(operators: "+-") { $0.term() } }

    mutating func term() -> Bool { chain(operators: "*/") { $0.factor() } }

    /// `operand (operator operand)*`.
    mutating func chain(operators: String, operand: (inout ArithmeticReference) -> Bool) -> Bool {
        guard operand(&self) else { return false }
        while let operation = next, operators.contains(operation) {
            position += 1
            guard operand(&self) else { return false }
        }
        return true
    }

    mutating func factor() -> Bool {
        guard let first = next else { return false }
        if first.isASCII, first.isNumber {
            while let digit = next, digit.isASCII, digit.isNumber { position += 1 }
            return true
        }
        position += 1
        if first == "-" { return factor() }
        guard first == "(", expression(), next == ")" else { return false }
        position += 1
        return true
    }
}

/// The JSON subset of `EBNFReferenceTests.jsonLike`, read by recursive descent.
struct JSONReference {
    let text: [Character]
    var position = 0
    init(_ text: [Character]) { self.text = text }

    var next: Character? { position < text.count ? text[position] : nil }

    mutating func take(_ character: Character) -> Bool {
        guard next == character else { return false }
        position += 1
        return true
    }

    mutating func take(word: String) -> Bool {
        let characters = Array(word)
        guard position + characters.count <= text.count, Array(text[position..<position + characters.count]) == characters else { return false }
        position += characters.count
        return true
    }

    mutating func whitespace() { while take(" ") {} }

    /// A value and the whitespace after it.
    mutating func value() -> Bool {
        let matched: Bool
        switch next {
        case "{": matched = object()
        case "[": matched = array()
        case "\"": matched = string()
        case "t": matched = take(word: "true")
        case "n": matched = take(word: "null")
        default: matched = number()
        }
        whitespace()
        return matched
    }

    mutating func object() -> Bool {
        list(open: "{", close: "}") { parser in
            guard parser.string(), parser.take(":") else { return false }
            parser.whitespace()
            return parser.value()
        }
    }

    mutating func array() -> Bool {
        list(open: "[", close: "]") { $0.value() }
    }

    /// `open ws (item ("," ws item)*)? close`.
    mutating func list(open: Character, close: Character, item: (inout JSONReference) -> Bool) -> Bool {
        guard take(open) else { return false }
        whitespace()
        if take(close) { return true }
        while true {
            guard item(&self) else { return false }
            guard take(",") else { return take(close) }
            whitespace()
        }
    }

    mutating func string() -> Bool {
        guard take("\"") else { return false }
        while let character = next, ("a"..."z").contains(character) { position += 1 }
        return take("\"")
    }

    mutating func number() -> Bool {
        _ = take("-")
        let start = position
        while let digit = next, digit.isASCII, digit.isNumber { position += 1 }
        return position > start
    }
}
