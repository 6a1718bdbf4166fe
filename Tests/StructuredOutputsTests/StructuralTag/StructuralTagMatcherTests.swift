import SwiftletJSON
import Testing
@testable import StructuredOutputs

/// Hermes-style tool calls (`<tool_call>`, JSON, `</tool_call>` in free text) token by token on a
/// small vocabulary whose tokens split the trigger, with exact masks.
@Suite struct StructuralTagMatcherTests {
    /// Tokens: 0 "Hi", 1 " ", 2 "<", 3 "tool", 4 "_call", 5 ">", 6 "<tool_call>", 7 "{", 8 "\"a\"",
    /// 9 ":", 10 "1", 11 "}", 12 "\n", 13 "</tool_call>", 14 "</", 15 "tool_call>", 16 EOS, 17 "x",
    /// 18 "}\n</tool_call>".
    static let words = ["Hi", " ", "<", "tool", "_call", ">", "<tool_call>", "{", "\"a\"", ":", "1", "}", "\n", "</tool_call>",
                        "</", "tool_call>", "", "x", "}\n</tool_call>"]
    static let eos = 16
    static let vocabulary = TokenVocabulary(tokenBytes: words.map { Array($0.utf8) }, eosTokenIDs: [eos])
    static let schema: JSONValue = ["type": "object", "properties": ["a": ["type": "integer"]], "required": ["a"],
                                    "additionalProperties": false]

    static func matcher(stopAfterFirst: Bool = false, atLeastOne: Bool = false) throws -> GrammarMatcher {
        let tag = StructuralTag(triggers: ["<tool_call>"], structures: [.init(begin: "<tool_call>", schema: schema, end: "</tool_call>")],
                                atLeastOne: atLeastOne, stopAfterFirst: stopAfterFirst)
        return GrammarMatcher(grammar: try CompiledGrammar(try StructuralTagCompiler.compile(tag)), vocabulary: vocabulary)
    }

    static func allowed(_ matcher: GrammarMatcher) -> [Int] {
        var mask: [UInt32] = []
        matcher.fillBitmask(&mask)
        return (0..<words.count).filter { mask[$0 >> 5] & (1 << UInt32($0 & 31)) != 0 }
    }

    /// Takes `tokens`, checking at each step that the mask says what acceptToken says.
    static func take(_ matcher: GrammarMatcher, _ tokens: [Int], sourceLocation: SourceLocation = #_sourceLocation) {
        for token in tokens {
            let mask = Set(allowed(matcher))
            for id in words.indices {
                let accepted = matcher.acceptToken(id)
                if accepted { matcher.rollback(1) }
                #expect(accepted == mask.contains(id), "token \(id) after \(matcher.numAcceptedTokens) tokens", sourceLocation: sourceLocation)
            }
            #expect(matcher.acceptToken(token), "token \(token) (\(words[token].debugDescription))", sourceLocation: sourceLocation)
        }
    }

    @Test func freeTextMayEndAnywhere() throws {
        let matcher = try Self.matcher()
        #expect(Self.allowed(matcher) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
        Self.take(matcher, [0, 1, 17, 2, 3, 17])
        // "<toolx" is text; "</tool_call>" outside a call is only text too.
        #expect(matcher.canEnd && Self.allowed(matcher).contains(Self.eos))
        Self.take(matcher, [13, 16])
        #expect(matcher.isTerminated)
    }

    /// The trigger split over "<", "tool", "_call", ">": the text must go on as JSON.
    @Test func splitTriggerStartsTheCall() throws {
        let matcher = try Self.matcher()
        Self.take(matcher, [0, 1, 2, 3, 4])
        // After "<tool_call": ">" completes the trigger; anything else stays text.
        #expect(Self.allowed(matcher) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18])
        Self.take(matcher, [5])
        #expect(!matcher.canEnd)
        #expect(Self.allowed(matcher) == [1, 7, 12])
        Self.take(matcher, [12, 7, 8, 9, 1, 10])
        #expect(Self.allowed(matcher) == [1, 10, 11, 12, 18])
        Self.take(matcher, [11, 12, 14, 15])
        // Free text again, then a second call in one token, and the end.
        #expect(matcher.canEnd)
        Self.take(matcher, [0, 6, 7, 8, 9, 10, 18, 16])
        #expect(matcher.isTerminated)
    }

    @Test func stopAfterFirstEndsAfterTheCall() throws {
        let matcher = try Self.matcher(stopAfterFirst: true)
        Self.take(matcher, [0, 6, 7, 8, 9, 10, 11, 13])
        #expect(Self.allowed(matcher) == [Self.eos])
        Self.take(matcher, [Self.eos])
    }

    @Test func atLeastOneStartsWithTheCall() throws {
        let matcher = try Self.matcher(atLeastOne: true)
        #expect(Self.allowed(matcher) == [2, 6])
        #expect(!matcher.canEnd)
        Self.take(matcher, [2, 3, 4, 5, 7, 8, 9, 10, 18, 1, 0, Self.eos])
    }

    /// The legacy JSON form compiles to the same language as the Swift form.
    @Test func legacyJSONFormMatchesSwiftForm() throws {
        let json = try JSONValue(parsing: #"""
            {"type": "structural_tag", "triggers": ["<tool_call>"],
             "structures": [{"begin": "<tool_call>", "schema": {"type": "object", "properties": {"a": {"type": "integer"}},
                             "required": ["a"], "additionalProperties": false}, "end": "</tool_call>"}]}
            """#)
        let decoded = try StructuralTag(json: json)
        let built = StructuralTag(triggers: ["<tool_call>"], structures: [.init(begin: "<tool_call>", schema: Self.schema, end: "</tool_call>")])
        #expect(decoded == built)
        let recognizer = ReferenceRecognizer(try StructuralTagCompiler.compile(decoded))
        let matcher = try EBNFTestSupport.matcher(try StructuralTagCompiler.compile(decoded))
        let inside = ["", "Hi", "Hi <tool_call>{\"a\": 1}</tool_call>", "<tool_call>\n{\"a\":12}\n</tool_call> ok <tool_call>{\"a\":-3}</tool_call>",
                      "a </tool_call> <tool_cal"]
        let outside = ["<tool_call>", "<tool_call>{}</tool_call>", "<tool_call>{\"a\": 1}", "<tool_call>{\"a\": 1} </tool_call",
                       "x<tool_call>{\"a\": 1, \"b\": 2}</tool_call>", "<tool_call>hi"]
        for text in inside {
            #expect(recognizer.accepts(text), "\(text)")
            #expect(EBNFTestSupport.accepts(matcher, text), "\(text)")
        }
        for text in outside {
            #expect(!recognizer.accepts(text), "\(text)")
            #expect(!EBNFTestSupport.accepts(matcher, text), "\(text)")
        }
    }
}
