import StructuredOutputs
import SwiftletJSON
import Testing
@testable import Engine

/// Structural tags through the manager: compiled once per constraint, with the request's JSON
/// options, and refused with a `StructuredOutputError` when the compiler refuses them.
@Suite struct StructuralTagManagerTests {
    /// One token per byte, EOS last.
    static let vocabulary = TokenVocabulary(tokenBytes: (0..<256).map { [UInt8($0)] } + [[]], eosTokenIDs: [256])
    static let hermes = StructuralTag(triggers: ["<tool_call>"], structures: [
        .init(begin: "<tool_call>", schema: ["type": "object", "properties": ["a": ["type": "integer"]], "required": ["a"]], end: "</tool_call>"),
    ])

    static func accepts(_ matcher: GrammarMatcher, _ text: String) -> Bool {
        defer { matcher.rollback(matcher.numAcceptedTokens) }
        return text.utf8.allSatisfy { matcher.acceptToken(Int($0)) } && matcher.acceptToken(256)
    }

    @Test func compilesOnceWithTheRequestOptions() throws {
        let manager = StructuredOutputManager(vocabulary: Self.vocabulary)
        let params = StructuredOutputsParams(.structuralTag(Self.hermes))
        #expect(try manager.compile(params) === manager.compile(params))
        let call = "Sure. <tool_call>\n{\"a\": 1}\n</tool_call>"
        #expect(Self.accepts(try manager.matcher(for: params), call))
        let compact = StructuredOutputsParams(.structuralTag(Self.hermes), disableAnyWhitespace: true)
        #expect(!Self.accepts(try manager.matcher(for: compact), call))
        #expect(Self.accepts(try manager.matcher(for: compact), "Sure. <tool_call>{\"a\":1}</tool_call>"))
    }

    @Test func refusedTagsGiveAStructuredOutputError() {
        let manager = StructuredOutputManager(vocabulary: Self.vocabulary)
        let freeTextFirst = StructuralTag(format: .sequence([.anyText(excludes: []), .jsonSchema(["type": "object"])]))
        #expect(throws: StructuredOutputError.self) { try manager.compile(StructuredOutputsParams(.structuralTag(freeTextFirst))) }
        let badSchema = StructuralTag(triggers: ["<f"], structures: [.init(begin: "<f>", schema: ["not": [:]], end: "</f>")])
        #expect { try manager.compile(StructuredOutputsParams(.structuralTag(badSchema))) } throws: { error in
            "\(error)".contains("/format/tags/0/content/json_schema") && "\(error)".contains("'not'")
        }
    }
}
