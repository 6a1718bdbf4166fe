/// One request's position in its grammar (vLLM's grammar matcher): takes the sampled tokens,
/// rolls them back, says whether the output may end here, and fills the bitmask of the tokens
/// that keep the output valid (`GrammarMatcher+Mask`).
///
/// Lexing is greedy: a lexeme goes on while the next byte can extend it, and ends when it
/// cannot (then the parser takes it, or, for the skip lexeme, nothing). Several lexemes that
/// match the same text are taken together; the parser keeps every reading.
public final class GrammarMatcher {
    public let grammar: CompiledGrammar
    public let vocabulary: TokenVocabulary
    // One thread uses a matcher: the hot state skips Swift's dynamic exclusivity checks.
    var parser: EarleyParser
    /// Where the lexer is, and its start state for the current parser position.
    var lexerState: LexemeDFA.StateID
    var lexemeStart: LexemeDFA.StateID
    /// Every byte accepted so far, and where the current lexeme's bytes begin in it.
    var outputBytes: [UInt8] = []
    var lexemeOffset = 0
    /// Per accepted token: the state before it, for rollback.
    private var history: [(parserDepth: Int, lexerState: LexemeDFA.StateID, lexemeStart: LexemeDFA.StateID,
                           numBytes: Int, lexemeOffset: Int)] = []
    /// True once an end-of-sequence token was accepted.
    public private(set) var isTerminated = false
    /// Mask walk scratch, one frame per trie depth. [maxDepth + 1]
    var frames: [WalkFrame]

    public init(grammar: CompiledGrammar, vocabulary: TokenVocabulary) {
        self.grammar = grammar
        self.vocabulary = vocabulary
        parser = EarleyParser(tables: grammar.tables)
        lexemeStart = grammar.startState(for: &parser)
        lexerState = lexemeStart
        frames = [WalkFrame](repeating: WalkFrame(), count: vocabulary.trie.maxDepth + 1)
    }

    public var numAcceptedTokens: Int { history.count }

    /// Takes a sampled token; false (and no change) when the grammar does not allow it.
    public func acceptToken(_ id: Int) -> Bool {
        guard !isTerminated else { return false }
        let saved = (parser.depth, lexerState, lexemeStart, outputBytes.count, lexemeOffset)
        if vocabulary.eosTokenIDs.contains(id) {
            guard canEnd else { return false }
            history.append(saved)
            isTerminated = true
            return true
        }
        guard id >= 0, id < vocabulary.vocabSize, let bytes = vocabulary.tokenBytes(id) else { return false }
        var state = lexerState
        var start = lexemeStart
        var offset = lexemeOffset
        for (index, byte) in bytes.enumerated() {
            var restarted = false
            guard let next = step(state, byte, start: &start, restarted: &restarted) else {
                parser.pop(to: saved.0)
                return false
            }
            if restarted { offset = outputBytes.count + index }
            state = next
        }
        history.append(saved)
        outputBytes += bytes
        lexemeOffset = offset
        lexerState = state
        lexemeStart = start
        return true
    }

    /// Undoes the last `count` accepted tokens.
    public func rollback(_ count: Int) {
        for _ in 0..<min(count, history.count) {
            let saved = history.removeLast()
            parser.pop(to: saved.parserDepth)
            lexerState = saved.lexerState
            lexemeStart = saved.lexemeStart
            outputBytes.removeLast(outputBytes.count - saved.numBytes)
            lexemeOffset = saved.lexemeOffset
            isTerminated = false
        }
    }

    /// Whether the output may end here (the pending lexeme, if any, ends and the parse is complete).
    public var canEnd: Bool {
        if isTerminated { return false }
        if lexerState == lexemeStart { return parser.accepts }
        let depth = parser.depth
        defer { parser.pop(to: depth) }
        return endLexeme(at: lexerState) && parser.accepts
    }

    /// One byte from lexer state `state`: extends the lexeme, or ends it (the parser takes it)
    /// and starts the next one with the byte. nil when the byte fits neither way; the parser may
    /// then hold a set pushed by the attempt, which the caller pops.
    @inline(__always)
    func step(_ state: LexemeDFA.StateID, _ byte: UInt8, start: inout LexemeDFA.StateID) -> LexemeDFA.StateID? {
        var restarted = false
        return step(state, byte, start: &start, restarted: &restarted)
    }

    /// `step`, telling whether a lexeme ended before the byte (`restarted`).
    @inline(__always)
    func step(_ state: LexemeDFA.StateID, _ byte: UInt8, start: inout LexemeDFA.StateID,
              restarted: inout Bool) -> LexemeDFA.StateID? {
        let dfa = grammar.dfa
        let next = dfa.next(state, byte)
        if next != LexemeDFA.dead { return next }
        guard state != start, endLexeme(at: state) else { return nil }
        restarted = true
        start = grammar.startState(for: &parser)
        let restarted = dfa.next(start, byte)
        return restarted == LexemeDFA.dead ? nil : restarted
    }

    /// Ends the lexeme the lexer is in at `state`: the parser takes the grammar lexemes that match
    /// there; the skip lexeme takes nothing. False when nothing matches or the parser takes none.
    func endLexeme(at state: LexemeDFA.StateID) -> Bool {
        let accepting = grammar.dfa.accepting(state)
        guard let skip = grammar.skipLexeme, accepting.contains(skip) else {
            return !accepting.isEmpty && parser.scan(accepting)
        }
        if accepting.count > 1 && parser.scan(accepting.lazy.filter { $0 != skip }) { return true }
        return true
    }
}
