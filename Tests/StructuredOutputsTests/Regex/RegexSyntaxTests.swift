import StructuredOutputs
import Testing

/// The trees RegexSyntax builds: literals joined, classes as scalar ranges, anchors resolved, and
/// the search padding of ECMAScript.
@Suite struct RegexSyntaxTests {
    static let anyText = RegexNode.zeroOrMore(.anyScalar)

    func parse(_ pattern: String, _ flavor: RegexFlavor = .python) throws -> RegexNode {
        try RegexSyntax.parse(pattern, flavor: flavor)
    }

    @Test func literalsAreJoinedAndAnchorsResolved() throws {
        #expect(try parse("^a\\u00e9(?:漢)😀$") == .literal("aé漢😀"))
        #expect(try parse("\\Aab\\Z") == .literal("ab"))
        #expect(try parse("ab", .ecmascript) == .concat([Self.anyText, .literal("ab"), Self.anyText]))
        #expect(try parse("^ab", .ecmascript) == .concat([.literal("ab"), Self.anyText]))
        #expect(try parse("ab$", .ecmascript) == .concat([Self.anyText, .literal("ab")]))
        #expect(try parse("^a|b$", .ecmascript) == .alternation([
            .concat([.literal("a"), Self.anyText]), .concat([Self.anyText, .literal("b")]),
        ]))
        #expect(try parse("", .ecmascript) == Self.anyText)
        #expect(try parse("^$", .ecmascript) == .empty)
        #expect(try parse("(?:)") == .empty)
    }

    @Test func quantifiersKeepTheirBounds() throws {
        #expect(try parse("a{2,3}?") == .repetition(.literal("a"), min: 2, max: 3))
        #expect(try parse("(ab)+") == .repetition(.literal("ab"), min: 1, max: nil))
        #expect(try parse("a{,4}") == .repetition(.literal("a"), min: 0, max: 4))
        #expect(try parse("a{,4}", .ecmascript) == .concat([Self.anyText, .literal("a{,4}"), Self.anyText]))
        #expect(try parse("a{0}b") == .literal("b"))
        #expect(try parse("a{1}") == .literal("a"))
    }

    @Test func classesBecomeScalarRanges() throws {
        #expect(try parse("[a-c]") == .scalars([0x61...0x63]))
        #expect(try parse("[ca-b]") == .scalars([0x61...0x63]))
        #expect(try parse("\\d") == .scalars([0x30...0x39]))
        #expect(try parse("\\w") == .scalars([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]))
        #expect(try parse("\\s") == .scalars([0x09...0x0D, 0x20...0x20]))
        #expect(try parse(".") == .scalars([0...0x09, 0x0B...0xD7FF, 0xE000...0x10FFFF]))
        #expect(try parse("^.$", .ecmascript) == .scalars([0...0x09, 0x0B...0x0C, 0x0E...0x2027, 0x202A...0xD7FF, 0xE000...0x10FFFF]))
        #expect(try parse("[^\\x00-\\x7f]") == .scalars([0x80...0xD7FF, 0xE000...0x10FFFF]))
        #expect(try parse("[\\u0000-\\uffff]") == .scalars([0...0xD7FF, 0xE000...0xFFFF]))
        #expect(try parse("[é]") == .literal("é"))
    }

    @Test func surrogatesMatchOnlyAsPairs() throws {
        #expect(try parse("^\\uD83D\\uDE00$", .ecmascript) == .literal("😀"))
        #expect(try parse("^[\\uD83D\\uDE00-\\uD83D\\uDE4F]$", .ecmascript) == .scalars([0x1F600...0x1F64F]))
        #expect(try parse("\\ud800") == .never)
        #expect(try parse("^\\uD800x$", .ecmascript) == .never)
        #expect(try parse("[\\ud800-\\udfff]") == .never)
        #expect(try parse("^[]$", .ecmascript) == .never)
        #expect(try parse("^[^]$", .ecmascript) == .anyScalar)
    }

    @Test func groupNamesAndCommentsVanish() throws {
        #expect(try parse("(?P<year>\\d{4})-(?<month>\\d\\d)") == .concat([
            .repetition(.scalars([0x30...0x39]), min: 4, max: 4), .literal("-"),
            .scalars([0x30...0x39]), .scalars([0x30...0x39]),
        ]))
        #expect(try parse("a(?#note)b") == .literal("ab"))
    }
}
