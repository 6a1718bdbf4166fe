/// A parsed pattern before anchors are resolved: `RegexNode` has no anchors, so the parser keeps
/// them here with their offsets and `RegexAnchors` lowers the tree to a `RegexNode`.
indirect enum RegexAST: Sendable {
    /// One scalar of the set (a literal, a class, `.`, an escape).
    case set(ScalarRangeSet)
    case concat([RegexAST])
    case alternation([RegexAST])
    case repetition(RegexAST, min: Int, max: Int?)
    /// `^` or Python's `\A`, spelled `text`, at this offset.
    case start(text: String, offset: Int)
    /// `$` or Python's `\Z` / `\z`, spelled `text`, at this offset.
    case end(text: String, offset: Int)
}
