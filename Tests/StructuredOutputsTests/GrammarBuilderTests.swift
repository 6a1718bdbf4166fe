import StructuredOutputs
import Testing

@Suite struct GrammarBuilderTests {
    @Test func lexemesAreSharedByRegexAndRulesCanRecurse() {
        var builder = GrammarBuilder()
        let a = builder.lexeme(.literal("a"), name: "a")
        let again = builder.lexeme(.literal("a"), name: "a again")
        #expect(a == again && builder.lexemes.count == 1)
        let list = builder.declare("list")
        builder.define(list, [[a], [.rule(list), a]])
        let grammar = builder.build(start: list, skip: nil)
        #expect(grammar.rules[list.index].alternatives == [[a], [.rule(list), a]])
    }
}
