import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaStringTests {
    @Test func lengthsCountUnicodeScalarsWhateverTheSpelling() {
        expectLanguage(#"{"type": "string", "minLength": 2, "maxLength": 3}"#,
                       accepts: [#""ab""#, #""abc""#, "\"日本\"", #""a\n""#, #""\u00e9\"""#, "\"😀x\""],
                       rejects: [#""a""#, #""abcd""#, "\"日\"", #""\n""#, "\"a\u{1}\""])
        expectLanguage(#"{"type": "string", "maxLength": 0}"#, accepts: [#""""#], rejects: [#""a""#])
    }

    @Test func patternsGoThroughTheTranslator() {
        expectLanguage(#"{"type": "string", "pattern": "^ab"}"#, accepts: [#""ab""#, #""abc\"d""#], rejects: [#""xab""#, #""a""#])
        expectLanguage(#"{"type": "string", "pattern": "ok"}"#, accepts: [#""ok""#, #""look!""#], rejects: [#""o k""#])
        // Length bounds fold into the pattern's one variable part.
        expectLanguage(#"{"type": "string", "pattern": "^id-", "maxLength": 5}"#, accepts: [#""id-""#, #""id-42""#], rejects: [#""id-123""#])
    }

    @Test func missingTranslatorAndRejectedPatterns() {
        var options = SchemaTesting.options()
        options.patternToRegex = nil
        #expect(SchemaTesting.error(#"{"properties": {"a": {"pattern": "x"}}}"#, options) == .unsupported(keyword: "pattern", pointer: "/properties/a/pattern"))
        guard case .invalidPattern(let pattern, _, let pointer) = SchemaTesting.error(#"{"items": {"pattern": "a+"}}"#) else {
            Issue.record("a pattern the translator rejects should be invalidPattern")
            return
        }
        #expect(pattern == "a+" && pointer == "/items/pattern")
    }

    @Test func aConstOrEnumIsCheckedAgainstTheOtherConstraints() {
        expectLanguage(#"{"type": "string", "enum": ["ab", "abc", "b", "abcd"], "pattern": "^ab", "maxLength": 3}"#,
                       accepts: [#""ab""#, #""abc""#], rejects: [#""b""#, #""abcd""#])
    }

    @Test func patternAndFormatTogetherKeepThePatternAndSayTheyApproximate() throws {
        let compilation = try SchemaCompilation(root: SchemaTesting.schema(#"{"type": "string", "pattern": "^x", "format": "date"}"#), options: SchemaTesting.options())
        var emitter = GrammarEmitter(compilation: compilation)
        let grammar = try emitter.grammar(for: compilation.lower(compilation.root, at: JSONPointer()))
        #expect(ReferenceRecognizer(grammar).accepts(#""xyz""#))
        #expect(compilation.approximations.count == 1)
    }

    @Test(arguments: [
        ("date-time", ["2024-02-29T23:59:60.123Z", "1999-12-31t00:00:00+05:30"], ["2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00"]),
        ("date", ["2024-04-30", "0001-01-01"], ["2024-04-31", "2024-13-01", "24-01-01"]),
        ("time", ["08:30:00Z", "23:59:59.5-01:00"], ["8:30:00Z", "08:60:00Z", "08:30:00"]),
        ("duration", ["P3Y6M4DT12H30M5S", "PT1M", "P2W", "P1D"], ["P", "PT", "P1H", "1D"]),
        ("email", ["a.b+c@example.com", "x@[192.168.0.1]"], ["a@", "@b.c", "a..b@c", "a b@c"]),
        ("hostname", ["example.com", "a-b.c1"], ["-a.com", "a_b.com", "a..b"]),
        ("ipv4", ["0.0.0.0", "255.255.255.255", "10.1.22.3"], ["256.1.1.1", "1.2.3", "01.2.3.4"]),
        ("ipv6", ["::", "::1", "2001:db8::ff00:42:8329", "1:2:3:4:5:6:7:8", "::ffff:192.0.2.1", "1::"], [":::", "1:2:3:4:5:6:7:8:9", "12345::", "1::2::3"]),
        ("uuid", ["123e4567-e89b-12d3-a456-426614174000"], ["123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g"]),
        ("uri", ["https://example.com/a/b?c=d#e", "urn:isbn:0451450523", "mailto:a@b.c", "http://[::1]:8080/"], ["example.com", "/relative", "http://a b"]),
        ("uri-reference", ["/relative/path?q", "../up", "https://x.y", "#frag"], ["a b", "%zz"]),
    ])
    func formats(format: String, valid: [String], invalid: [String]) {
        let quote: (String) -> String = { "\"" + $0 + "\"" }
        expectLanguage(#"{"type": "string", "format": "\#(format)"}"#, accepts: valid.map(quote), rejects: invalid.map(quote))
    }

    @Test func unknownFormatsAreAnnotations() {
        expectLanguage(#"{"type": "string", "format": "x-custom"}"#, accepts: [#""anything""#])
    }
}
