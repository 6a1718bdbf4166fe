import StructuredOutputs
import Testing

/// Every error of RegexSyntax, with its kind and offset (in Unicode scalars).
@Suite struct RegexSyntaxErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var pattern: String
        var flavor: RegexFlavor
        var kind: RegexSyntaxError.Kind
        var offset: Int
        var message: String
        init(_ pattern: String, _ flavor: RegexFlavor, _ kind: RegexSyntaxError.Kind, _ offset: Int, _ message: String) {
            (self.pattern, self.flavor, self.kind, self.offset, self.message) = (pattern, flavor, kind, offset, message)
        }
        /// A Python-flavor case.
        init(_ pattern: String, _ kind: RegexSyntaxError.Kind, _ offset: Int, _ message: String) {
            self.init(pattern, .python, kind, offset, message)
        }
        var testDescription: String { "\(flavor) \(pattern.debugDescription)" }
    }

    static let cases: [Case] = [
        // Not valid.
        Case("ab(c", .invalid, 2, "missing ), unterminated subpattern"),
        Case("a)", .invalid, 1, "unbalanced parenthesis"),
        Case("x[a", .invalid, 1, "unterminated character set"),
        Case("[]", .invalid, 0, "unterminated character set"),
        Case("x[z-a]", .invalid, 2, "bad character range"),
        Case("[\\d-z]", .ecmascript, .invalid, 1, "bad character range"),
        Case("[a-\\w]", .invalid, 1, "bad character range"),
        Case("ab\\", .invalid, 2, "bad escape (end of pattern)"),
        Case("a{3,2}", .invalid, 1, "min repeat greater than max repeat"),
        Case("*a", .invalid, 0, "nothing to repeat"),
        Case("a|+", .ecmascript, .invalid, 2, "nothing to repeat"),
        Case("(?:{1})", .invalid, 3, "nothing to repeat"),
        Case("a**", .invalid, 2, "multiple repeat"),
        Case("a{2}{3}", .ecmascript, .invalid, 4, "multiple repeat"),
        Case("^*", .invalid, 1, "nothing to repeat"),
        Case("é\\q", .invalid, 1, "bad escape \\q"),
        Case("\\a", .ecmascript, .invalid, 0, "bad escape \\a"),
        Case("\\A", .ecmascript, .invalid, 0, "bad escape \\A"),
        Case("[\\A]", .invalid, 1, "bad escape \\A"),
        Case("[\\B]", .invalid, 1, "bad escape \\B"),
        Case("[\\1]", .invalid, 1, "bad escape \\1"),
        Case("ab\\x4", .invalid, 2, "incomplete escape \\x"),
        Case("\\u00", .invalid, 0, "incomplete escape \\u"),
        Case("\\U0011000", .invalid, 0, "incomplete escape \\U"),
        Case("\\U00110000", .invalid, 0, "bad escape \\U"),
        Case("\\u{110000}", .ecmascript, .invalid, 0, "bad escape \\u{...}"),
        Case("\\u{}", .ecmascript, .invalid, 0, "bad escape \\u{...}"),
        Case("\\u{41", .ecmascript, .invalid, 0, "bad escape \\u{...}"),
        Case("\\c1", .ecmascript, .invalid, 0, "\\c must be followed by a letter"),
        Case("\\400", .invalid, 0, "octal escape value outside of range 0-0o377"),
        Case("\\08", .ecmascript, .invalid, 0, "invalid decimal escape"),
        Case("(?P<1a>x)", .invalid, 4, "bad character in group name"),
        Case("(?P<n>a)(?P<n>b)", .invalid, 8, "redefinition of group name 'n'"),
        Case("(?<>a)", .ecmascript, .invalid, 3, "missing group name"),
        Case("(?P<n", .invalid, 0, "missing >, unterminated name"),
        Case("a(?#abc", .invalid, 1, "missing ), unterminated comment"),
        Case("(?#abc)", .ecmascript, .invalid, 0, "unknown extension after (?"),
        Case("(?Q)", .invalid, 0, "unknown extension after (?"),
        // Valid but not supported.
        Case("x(a)\\1", .unsupported, 4, "backreferences are not supported"),
        Case("(a)\\1", .ecmascript, .unsupported, 3, "backreferences are not supported"),
        Case("\\k<n>(?<n>a)", .ecmascript, .unsupported, 0, "backreferences are not supported"),
        Case("(?P<n>a)(?P=n)", .unsupported, 8, "backreferences are not supported"),
        Case("ab\\b", .unsupported, 2, "word boundaries (\\b) are not supported"),
        Case("\\B", .ecmascript, .unsupported, 0, "word boundaries (\\B) are not supported"),
        Case("a(?=b)", .unsupported, 1, "lookahead is not supported"),
        Case("(?!b)", .ecmascript, .unsupported, 0, "lookahead is not supported"),
        Case("a(?<=b)", .unsupported, 1, "lookbehind is not supported"),
        Case("(?<!b)", .ecmascript, .unsupported, 0, "lookbehind is not supported"),
        Case("a(?i)", .unsupported, 1, "inline flags such as (?i) are not supported"),
        Case("(?s:.)", .ecmascript, .unsupported, 0, "inline flags such as (?i) are not supported"),
        Case("a*+", .unsupported, 1, "possessive quantifiers are not supported"),
        Case("(?>a)", .unsupported, 0, "atomic groups are not supported"),
        Case("(?(1)a|b)", .unsupported, 0, "conditional groups are not supported"),
        Case("\\N{DIGIT ONE}", .unsupported, 0, "named characters (\\N{...}) are not supported"),
        Case("\\p{L}", .ecmascript, .unsupported, 0, "Unicode property escapes (\\p{...}) are not supported"),
        Case("a^b", .unsupported, 1, "the anchor ^ is supported only at the start of the pattern (or of a group or alternative there)"),
        Case("a$b", .ecmascript, .unsupported, 1, "the anchor $ is supported only at the end of the pattern (or of a group or alternative there)"),
        Case("(^a)*", .unsupported, 1, "the anchor ^ is supported only at the start"),
        Case("a|b(^c)", .ecmascript, .unsupported, 4, "the anchor ^ is supported only at the start"),
        Case("(a$)b", .unsupported, 2, "the anchor $ is supported only at the end"),
        Case("a\\Z\\n", .unsupported, 1, "the anchor \\Z is supported only at the end"),
        // Over a limit.
        Case("a{10001}", .tooLarge, 1, "repetition count over the limit of 10000"),
        Case("a{1,99999999999999999999999}", .ecmascript, .tooLarge, 1, "repetition count over the limit of 10000"),
        Case(String(repeating: "(", count: 101) + String(repeating: ")", count: 101), .tooLarge, 100, "groups nested deeper than 100"),
        Case(String(repeating: "(?:", count: 100_000), .ecmascript, .tooLarge, 300, "groups nested deeper than 100"),
    ]

    @Test(arguments: cases)
    func error(_ item: Case) {
        do {
            let node = try RegexSyntax.parse(item.pattern, flavor: item.flavor)
            Issue.record("parsed as \(node)")
        } catch {
            #expect(error.kind == item.kind)
            #expect(error.offset == item.offset)
            #expect(error.message.hasPrefix(item.message), "\(error.message)")
            #expect(error.description == "\(error.message) at offset \(error.offset)")
        }
    }

    @Test func limitsAreWhatTheErrorsSay() {
        #expect(RegexSyntax.maxRepetition == 10_000)
        #expect(RegexSyntax.maxNestingDepth == 100)
        #expect((try? RegexSyntax.parse("a{10000}", flavor: .python)) == .repetition(.literal("a"), min: 10_000, max: 10_000))
        let deepest = String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100)
        #expect((try? RegexSyntax.parse(deepest, flavor: .python)) == .literal("a"))
    }

    /// Long hostile patterns parse (or fail) in linear time, without deep recursion.
    @Test func longPatternsAreLinear() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let alternatives = try RegexSyntax.parse(Array(repeating: "ab", count: 20_000).joined(separator: "|"), flavor: .python)
        guard case .alternation(let branches) = alternatives else { Issue.record("\(alternatives)"); return }
        #expect(branches.count == 20_000)
        let classes = try RegexSyntax.parse(String(repeating: "[a-z]*", count: 20_000), flavor: .ecmascript)
        guard case .concat(let parts) = classes else { Issue.record("not a sequence"); return }
        #expect(parts.count == 20_002)
        let literal = String(repeating: "ab漢", count: 30_000)
        #expect(try RegexSyntax.parse(literal, flavor: .python) == .literal(literal))
        #expect(throws: RegexSyntaxError.self) { try RegexSyntax.parse(String(repeating: "[", count: 100_000), flavor: .python) }
        #expect(clock.now - start < .seconds(20))
    }
}
