/// Why a regex pattern cannot be used, and where: the offset of the offending construct, counted in
/// Unicode scalars from the start of the pattern (as Python's `re.error.pos` counts characters).
public struct RegexSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Not a valid pattern in its flavor (unbalanced parenthesis, bad range, unknown escape...).
        case invalid
        /// Valid, but not a regular language or not supported here (backreferences, lookaround,
        /// word boundaries, inline flags, anchors in the middle of a pattern...).
        case unsupported
        /// Over a limit that keeps hostile patterns from using unbounded memory or stack
        /// (`RegexSyntax.maxRepetition`, `RegexSyntax.maxNestingDepth`).
        case tooLarge
    }

    public var kind: Kind
    /// What is wrong, e.g. "unbalanced parenthesis" or "backreferences are not supported".
    public var message: String
    /// Offset of the problem in Unicode scalars from the start of the pattern (the pattern's length
    /// when the problem is its end).
    public var offset: Int

    public init(_ kind: Kind, _ message: String, offset: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
    }

    /// "message at offset N".
    public var description: String { "\(message) at offset \(offset)" }
}
