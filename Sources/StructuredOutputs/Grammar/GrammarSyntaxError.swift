/// Why a grammar text (EBNF / GBNF, Lark) cannot be used, and where: the offset of the offending
/// construct in Unicode scalars from the start of the text, and the same place as a 1-based line
/// and column (the column counted in scalars too), as grammar authors look for it.
public struct GrammarSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Not valid syntax (a missing `::=`, an unterminated string, a bad escape or range...).
        case invalid
        /// Valid in some dialect, but not supported here (lookahead, token references, rule options...).
        case unsupported
        /// A reference to a rule that is not defined; the message names it.
        case undefinedRule
        /// A rule defined twice; the offset is the second definition.
        case duplicateRule
        /// No start rule (`root` for EBNF, `start` for Lark).
        case missingStartRule
        /// Over a limit that keeps hostile grammars from using unbounded memory, time or stack
        /// (`EBNFSyntax.maxTextLength`, `maxNestingDepth`, `maxRepetition`, `maxGrammarSize`).
        case tooLarge
    }

    public var kind: Kind
    /// What is wrong, e.g. "rule 'value' is not defined".
    public var message: String
    /// Offset of the problem in Unicode scalars from the start of the text.
    public var offset: Int
    /// 1-based line and column of `offset`.
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, _ message: String, offset: Int, line: Int, column: Int) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// "message at line L, column C".
    public var description: String { "\(message) at line \(line), column \(column)" }
}
