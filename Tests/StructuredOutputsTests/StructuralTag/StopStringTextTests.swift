import Testing
@testable import StructuredOutputs

/// The free text regexes against a direct reference (searching the text for the stop strings),
/// over every text up to a length, through the real matcher.
@Suite struct StopStringTextTests {
    /// Where the first occurrence of any stop ends (in scalars), or nil when none occurs.
    static func firstEnd(_ text: String, _ stops: [String]) -> Int? {
        let scalars = Array(text.unicodeScalars)
        for end in 0...scalars.count {
            let prefix = scalars[..<end]
            if stops.contains(where: { !$0.isEmpty && prefix.reversed().starts(with: Array($0.unicodeScalars).reversed()) }) { return end }
        }
        return nil
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var stops: [String]
        var endings: [String]
        var alphabet: [Character]
        var testDescription: String { "\(stops) ending in \(endings)" }
    }

    static let cases: [Case] = [
        Case(stops: ["ab"], endings: ["ab"], alphabet: ["a", "b", "x"]),
        // Self-overlapping stops and stops inside stops.
        Case(stops: ["aab", "ab"], endings: ["aab"], alphabet: ["a", "b", "x"]),
        Case(stops: ["abab", "ba"], endings: ["abab"], alphabet: ["a", "b"]),
        Case(stops: ["aa", "ba", "<"], endings: ["ba", "<"], alphabet: ["a", "b", "<", "é"]),
        Case(stops: ["é<", "<é"], endings: ["<é"], alphabet: ["é", "<", "x"]),
    ]

    @Test(arguments: cases) func avoidingAgreesWithSearch(_ test: Case) throws {
        let regex = try #require(StopStringText.avoiding(test.stops))
        let matcher = try EBNFTestSupport.matcher(.regex(regex))
        EBNFTestSupport.expectLanguage(matcher, alphabet: test.alphabet, maxLength: 6) { Self.firstEnd($0, test.stops) == nil }
    }

    @Test(arguments: cases) func endingAgreesWithSearch(_ test: Case) throws {
        let regex = try #require(StopStringText.ending(in: test.endings, stops: test.stops))
        let matcher = try EBNFTestSupport.matcher(.regex(regex))
        EBNFTestSupport.expectLanguage(matcher, alphabet: test.alphabet, maxLength: 6) { text in
            let scalars = Array(text.unicodeScalars)
            return Self.firstEnd(text, test.stops) == scalars.count
                && test.endings.contains { scalars.reversed().starts(with: Array($0.unicodeScalars).reversed()) }
        }
    }

    /// Tool-calling stop strings stay small as regexes.
    @Test func realisticStopsStaySmall() throws {
        let stops = ["<tool_call>", "</think>", "<|im_end|>", "<function="]
        let regex = try #require(StopStringText.ending(in: ["<tool_call>"], stops: stops))
        #expect(StateElimination.size(regex) < 2_000, "size \(StateElimination.size(regex))")
        #expect(ReferenceRecognizer(.regex(regex)).accepts("I will call <tool_<|im_<think> it.<tool_call>"))
        #expect(!ReferenceRecognizer(.regex(regex)).accepts("done</think> <tool_call>"))
    }
}

extension StopStringTextTests {
    /// Many long stop strings stay fast and small; past the state limit they are refused.
    @Test func manyStopsAreBoundedOrRefused() throws {
        let stops = (0..<40).map { "<tool_\($0)_" + String(repeating: "x", count: 14) + ">" }
        let regex = try #require(StopStringText.ending(in: [stops[3]], stops: stops))
        #expect(StateElimination.size(regex) < 60_000, "size \(StateElimination.size(regex))")
        #expect(ReferenceRecognizer(.regex(regex)).accepts("a <tool_1_x " + stops[3]))
        #expect(!ReferenceRecognizer(.regex(regex)).accepts("a " + stops[2] + stops[3]))
        let tooMany = (0..<200).map { "\($0)" + String(repeating: "y", count: 20) }
        #expect(StopStringText.avoiding(tooMany) == nil)
    }
}
