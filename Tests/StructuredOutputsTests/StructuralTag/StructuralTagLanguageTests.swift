import SwiftletJSON
import Testing
@testable import StructuredOutputs

/// Structural tags whose language is regular (constant contents), checked over every text up to a
/// length against the standard library's `Regex` (lookahead says "no trigger starts here"),
/// through the real matcher on a byte vocabulary, and through the reference recognizer.
@Suite struct StructuralTagLanguageTests {
    typealias Format = StructuralTag.Format

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var format: Format
        var pattern: String
        var alphabet: [Character]
        var maxLength = 6
        var testDescription: String { name }
    }

    static func tag(_ begin: String, _ content: String, _ end: String) -> StructuralTag.Tag {
        .init(begin: begin, content: .constString(content), end: end)
    }

    /// Free text: no "ab" starts in it.
    static let text = "(?:(?!ab).)*"

    static let cases: [Case] = [
        Case(name: "triggered", format: .triggeredTags(.init(triggers: ["ab"], tags: [tag("abc", "x", "d")])),
             pattern: "(?:\(text)abcxd)*\(text)", alphabet: ["a", "b", "c", "x", "d"]),
        Case(name: "at_least_one", format: .triggeredTags(.init(triggers: ["ab"], tags: [tag("abc", "x", "d")], atLeastOne: true)),
             pattern: "abcxd(?:\(text)abcxd)*\(text)", alphabet: ["a", "b", "c", "x", "d"]),
        Case(name: "stop_after_first", format: .triggeredTags(.init(triggers: ["ab"], tags: [tag("abc", "x", "d")], stopAfterFirst: true)),
             pattern: "\(text)(?:abcxd)?", alphabet: ["a", "b", "c", "x", "d"]),
        Case(name: "both flags", format: .triggeredTags(.init(triggers: ["ab"], tags: [tag("abc", "x", "d")], atLeastOne: true, stopAfterFirst: true)),
             pattern: "abcxd", alphabet: ["a", "b", "c", "x", "d"]),
        // "a" fires before "ab" can: every tag starting with "a" follows it.
        Case(name: "trigger prefix of another", format: .triggeredTags(.init(triggers: ["a", "ab"], tags: [tag("ab", "x", "d"), tag("ac", "", "d")])),
             pattern: "(?:[^a]*a(?:bxd|cd))*[^a]*", alphabet: ["a", "b", "c", "x", "d"]),
        // Triggers that end together: "xab" is text "x" + tag "ab..." or text "xa" + tag "b...".
        Case(name: "triggers ending together", format: .triggeredTags(.init(triggers: ["ab", "b"], tags: [tag("abc", "", "d"), tag("bx", "", "d")])),
             pattern: "(?:[^b]*(?:abcd|bxd))*[^b]*", alphabet: ["a", "b", "c", "x", "d"]),
        Case(name: "excludes", format: .triggeredTags(.init(triggers: ["ab"], tags: [tag("ab", "", "d")], excludes: ["x"])),
             pattern: "(?:(?:(?!ab)[^x])*abd)*(?:(?!ab)[^x])*", alphabet: ["a", "b", "x", "d"]),
        Case(name: "tag with any_text", format: .tag(.init(begin: "a", content: .anyText(excludes: []), ends: ["bb", "c"])),
             pattern: "a(?:(?!bb|c).)*(?:bb|c)", alphabet: ["a", "b", "c"]),
        Case(name: "tags_with_separator", format: .tagsWithSeparator(.init(tags: [tag("a", "x", "b"), tag("c", "", "b")], separator: ",")),
             pattern: "(?:(?:axb|cb)(?:,(?:axb|cb))*)?", alphabet: ["a", "b", "c", "x", ","]),
        Case(name: "tags_with_separator, one", format: .tagsWithSeparator(.init(tags: [tag("a", "x", "b")], separator: ",", atLeastOne: true, stopAfterFirst: true)),
             pattern: "axb", alphabet: ["a", "b", "x", ","]),
        Case(name: "any_text before const_string", format: .sequence([.anyText(excludes: []), .constString("ab"), .constString("c")]),
             pattern: "\(text)abc", alphabet: ["a", "b", "c"]),
        Case(name: "triggered tags before a tag", format: .sequence([.triggeredTags(.init(triggers: ["x"], tags: [tag("x", "", "d")])), .tag(tag("ab", "c", "d"))]),
             pattern: "(?:(?:(?!ab|x).)*xd)*(?:(?!ab|x).)*abcd", alphabet: ["a", "b", "c", "x", "d"]),
        Case(name: "think then tool calls", format: .sequence([.tag(.init(begin: "<", content: .anyText(excludes: []), end: ">")),
                                                              .triggeredTags(.init(triggers: ["x"], tags: [tag("xy", "", "d")]))]),
             pattern: "<[^>]*>(?:[^x]*xyd)*[^x]*", alphabet: ["<", ">", "x", "y", "d"]),
        Case(name: "or, optional, plus", format: .sequence([.or([.constString("a"), .constString("bc")]), .optional(.constString("x")),
                                                           .plus(.constString("d"))]),
             pattern: "(?:a|bc)x?d+", alphabet: ["a", "b", "c", "x", "d"]),
    ]

    @Test(arguments: cases) func matcherAgreesWithRegex(_ test: Case) throws {
        let grammar = try StructuralTagCompiler.compile(StructuralTag(format: test.format))
        let regex = try Regex(test.pattern).dotMatchesNewlines()
        let reference: (String) -> Bool = { (try? regex.wholeMatch(in: $0)) != nil }
        let members = EBNFTestSupport.expectLanguage(try EBNFTestSupport.matcher(grammar), alphabet: test.alphabet,
                                                     maxLength: test.maxLength, reference: reference)
        #expect(members > 0)
        let recognizer = ReferenceRecognizer(grammar)
        for text in EBNFTestSupport.allTexts(test.alphabet, maxLength: 4) where recognizer.accepts(text) != reference(text) {
            Issue.record("the reference recognizer disagrees on \"\(text)\"")
            break
        }
    }

    /// Free text that is neither last, nor a tag's content, nor before a literal, is refused.
    @Test func freeTextWithoutEndIsRefused() {
        let format = Format.sequence([.anyText(excludes: []), .jsonSchema(["type": "object"])])
        #expect(throws: StructuralTagError.self) { try StructuralTagCompiler.compile(StructuralTag(format: format)) }
        do {
            _ = try StructuralTagCompiler.compile(StructuralTag(format: format))
        } catch {
            #expect(error.path == "/format/elements/0")
        }
    }

    @Test func tagBeginMustStartWithATrigger() {
        let format = Format.triggeredTags(.init(triggers: ["<a"], tags: [Self.tag("<a>", "", "d"), Self.tag("<b>", "", "d")]))
        #expect(throws: StructuralTagError.invalid(message: "the tag's begin \"<b>\" starts with none of the triggers", path: "/format/tags/1/begin")) {
            try StructuralTagCompiler.compile(StructuralTag(format: format))
        }
    }

    @Test func badSchemaAndRegexNameTheirPath() {
        let schema = Format.tag(.init(begin: "<", content: .jsonSchema(["type": "object", "not": ["type": "string"]]), end: ">"))
        #expect(throws: StructuralTagError.schema(.unsupported(keyword: "not", pointer: "/not"), path: "/format/content/json_schema")) {
            try StructuralTagCompiler.compile(StructuralTag(format: schema))
        }
        do {
            _ = try StructuralTagCompiler.compile(StructuralTag(format: .sequence([.constString("a"), .regex("(b")])))
            Issue.record("compiled")
        } catch {
            #expect(error.path == "/format/elements/1/pattern")
        }
    }
}
