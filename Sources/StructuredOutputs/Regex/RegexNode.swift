/// A regular expression as a tree, over Unicode scalars (matched as their UTF-8 bytes) or raw
/// bytes. Every constraint front end (regex text, JSON Schema, choices, grammars) lowers its
/// lexemes to this; the byte automata are built from it.
public indirect enum RegexNode: Hashable, Sendable {
    /// The empty string.
    case empty
    /// Nothing at all (an empty character class, a contradiction).
    case never
    /// Exactly this text.
    case literal(String)
    /// One Unicode scalar in one of these ranges (sorted, not overlapping), as its UTF-8 bytes.
    case scalars([ClosedRange<UInt32>])
    /// One byte in one of these ranges (for grammars over bytes, such as GBNF's byte escapes).
    case bytes([ClosedRange<UInt8>])
    case concat([RegexNode])
    case alternation([RegexNode])
    /// `min` to `max` repetitions (`max` nil: unbounded).
    case repetition(RegexNode, min: Int, max: Int?)

    /// Any Unicode scalar.
    public static let anyScalar = RegexNode.scalars([0...0xD7FF, 0xE000...0x10FFFF])

    public static func optional(_ node: RegexNode) -> RegexNode { .repetition(node, min: 0, max: 1) }
    public static func zeroOrMore(_ node: RegexNode) -> RegexNode { .repetition(node, min: 0, max: nil) }
    public static func oneOrMore(_ node: RegexNode) -> RegexNode { .repetition(node, min: 1, max: nil) }
}
