/// A Thompson NFA over UTF-8 bytes for a list of lexemes (lexeme i is `lexemes[i]`): the immutable,
/// `Sendable` half of a lexer, built once per grammar off the engine thread; `LexemeDFA` runs it.
///
/// States that cannot reach an accepting state (from `never`, an empty class) are marked so the DFA
/// leaves them out, which makes "dead" exact: a DFA state is dead exactly when no lexeme can still
/// match.
public struct LexemeNFA: Sendable {
    /// The default cap on NFA states (each about 16 bytes).
    public static let defaultMaxStates = 1 << 19
    /// The deepest regex tree accepted (the compiler recurses on it).
    public static let maxDepth = 500

    struct State: Sendable {
        enum Kind: UInt8, Sendable {
            /// One byte in `low...high`, then `out`.
            case byteRange
            /// Either `out` or `out2`, consuming nothing.
            case split
            /// Lexeme `lexeme` has matched.
            case accept
            /// Nothing: the state of `never`.
            case fail
        }

        var kind: Kind
        var low: UInt8 = 0
        var high: UInt8 = 0
        var out: Int32 = -1
        var out2: Int32 = -1
        var lexeme: Int32
    }

    public let numLexemes: Int
    private(set) var states: [State] = []
    /// The entry state of each lexeme.
    private(set) var starts: [Int32] = []
    /// Whether each state can reach an accepting state.
    private(set) var isUseful: [Bool] = []

    public var numStates: Int { states.count }

    public init(lexemes: [RegexNode], maxStates: Int = LexemeNFA.defaultMaxStates) throws(LexemeAutomatonError) {
        numLexemes = lexemes.count
        var compiler = NFACompiler(maxStates: maxStates)
        for (index, lexeme) in lexemes.enumerated() {
            try compiler.compileLexeme(lexeme, index: index)
        }
        states = compiler.states
        starts = compiler.starts
        isUseful = compiler.useful
    }

    /// The states from which an accepting state can be reached, by a backward search from them:
    /// the reference for `isUseful`, which the compiler decides as it adds each state.
    static func usefulStates(_ states: [State]) -> [Bool] {
        // Predecessor lists in compressed form: predecessors of s are sources[firsts[s]..<firsts[s+1]].
        var numPredecessors = [Int32](repeating: 0, count: states.count + 1)
        for state in states where state.kind == .byteRange || state.kind == .split {
            numPredecessors[Int(state.out) + 1] += 1
            if state.kind == .split { numPredecessors[Int(state.out2) + 1] += 1 }
        }
        var firsts = numPredecessors
        for index in 1..<firsts.count { firsts[index] += firsts[index - 1] }
        var fill = firsts
        var sources = [Int32](repeating: 0, count: Int(firsts[states.count]))
        func addPredecessor(_ source: Int, of target: Int32) {
            sources[Int(fill[Int(target)])] = Int32(source)
            fill[Int(target)] += 1
        }
        for (index, state) in states.enumerated() where state.kind == .byteRange || state.kind == .split {
            addPredecessor(index, of: state.out)
            if state.kind == .split { addPredecessor(index, of: state.out2) }
        }
        var useful = [Bool](repeating: false, count: states.count)
        var stack: [Int32] = []
        for (index, state) in states.enumerated() where state.kind == .accept {
            useful[index] = true
            stack.append(Int32(index))
        }
        while let state = stack.popLast() {
            for source in sources[Int(firsts[Int(state)])..<Int(firsts[Int(state) + 1])] where !useful[Int(source)] {
                useful[Int(source)] = true
                stack.append(source)
            }
        }
        return useful
    }
}
