import StructuredOutputs
import SwiftletJSON
import Testing

/// RegexSyntax against the reference engines (Python `re` with re.ASCII and fullmatch; Node's
/// RegExp search with the `u` flag), through both the reference matcher and the DFA.
@Suite struct RegexReferenceTests {
    struct Case: CustomTestStringConvertible {
        var flavor: RegexFlavor
        var pattern: String
        var texts: [String]
        /// The reference's verdict per text, or nil when it rejects the pattern.
        var matches: [Bool]?
        /// ECMAScript without the `u` flag (Annex B), where only that accepts the pattern.
        var legacyMatches: [Bool]?
        var testDescription: String { "\(flavor) \(pattern.debugDescription)" }
    }

    /// Valid in the reference, an error here by design (the kind is checked too).
    static let expectedErrors: [RegexFlavor: [String: RegexSyntaxError.Kind]] = [
        .python: [
            "(a)\\1": .unsupported, "\\bfoo\\b": .unsupported, "a\\Bb": .unsupported, "a(?=b)": .unsupported,
            "(?!a)b": .unsupported, "(?<=a)b": .unsupported, "(?<!a)b": .unsupported, "(?i)abc": .unsupported,
            "(?i:a)b": .unsupported, "(^a)*": .unsupported, "a^b": .unsupported, "$^": .unsupported,
            "a{10001}": .tooLarge, "a$\\n": .unsupported, "(?P<n>a)(?P=n)": .unsupported, "a*+b": .unsupported,
            "(?>a)": .unsupported, "\\N{LATIN SMALL LETTER A}": .unsupported, "a*+": .unsupported,
        ],
        .ecmascript: [
            "(a)\\1": .unsupported, "\\bfoo\\b": .unsupported, "a\\Bb": .unsupported, "a(?=b)": .unsupported,
            "(?!a)b": .unsupported, "(?<=a)b": .unsupported, "(?<!a)b": .unsupported, "(?i:a)b": .unsupported,
            "(^a)*": .unsupported, "a^b": .unsupported, "$^": .unsupported, "a{10001}": .tooLarge, "\\p{L}": .unsupported,
            "\\k<n>(?<n>a)": .unsupported,
        ],
    ]

    /// Invalid in the reference, accepted here by design: the other flavor's named-group spelling,
    /// and Python 3.14's `\z`.
    static let acceptedByDesign: Set<String> = ["python (?<n>a)b", "python \\z", "ecmascript (?P<name>a)b"]

    static func cases() throws -> [Case] {
        let json = try JSONValue(parsing: regexReferenceCasesJSON)
        let common = try #require(json["common"]?.arrayValue).compactMap(\.stringValue)
        func verdicts(_ value: JSONValue?) -> [Bool]? { value?.stringValue.map { $0.map { $0 == "1" } } }
        return try #require(json["cases"]?.arrayValue).map { item in
            let texts = item["texts"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return Case(
                flavor: item["flavor"]?.stringValue == "python" ? .python : .ecmascript,
                pattern: item["pattern"]?.stringValue ?? "",
                texts: texts + common.filter { !texts.contains($0) },
                matches: verdicts(item["matches"]), legacyMatches: verdicts(item["legacyMatches"]))
        }
    }

    @Test func fixtureIsComplete() throws {
        let cases = try Self.cases()
        #expect(cases.count == 323)
        for case let item in cases where item.matches != nil {
            #expect(item.matches?.count == item.texts.count, "\(item.testDescription)")
        }
    }

    @Test(arguments: try cases())
    func agreesWithReference(_ item: Case) throws {
        let node: RegexNode
        do {
            node = try RegexSyntax.parse(item.pattern, flavor: item.flavor)
        } catch {
            // Rejecting is right where the reference rejects too; otherwise it must be by design.
            if item.matches != nil {
                #expect(Self.expectedErrors[item.flavor]?[item.pattern] == error.kind, "\(error)")
            }
            return
        }
        #expect(Self.expectedErrors[item.flavor]?[item.pattern] == nil, "expected an error")
        guard let expected = item.matches ?? item.legacyMatches else {
            if Self.acceptedByDesign.contains("\(item.flavor) \(item.pattern)") { return }
            Issue.record("accepted a pattern the reference rejects: \(node)")
            return
        }
        let dfa = try LexemeDFA(lexemes: [node])
        for (text, verdict) in zip(item.texts, expected) {
            let bytes = Array(text.utf8)
            #expect(node.matches(bytes) == verdict, "reference matcher on \(text.debugDescription)")
            #expect(dfa.accepted(bytes, allowed: [0]).contains(0) == verdict, "DFA on \(text.debugDescription)")
        }
    }
}
