/// The lexer automaton of a grammar: a lazy DFA over UTF-8 bytes, run from any set of allowed
/// lexemes. Its states (sets of `LexemeNFA` states) are made the first time a transition reaches
/// them and cached; after that `next` is one table read. Bytes are first mapped to the classes of
/// bytes the NFA never tells apart, so a row has one entry per class (rounded up to a power of
/// two), not 256; a state's id is the offset of its row, so the read needs no multiplication.
///
/// Thread-safety: not `Sendable`. `next` and `startState` fill the cache, so one thread (the
/// engine's) uses an instance at a time. Build the `LexemeNFA` (which is `Sendable`) anywhere and
/// make the `LexemeDFA` where it is used.
///
/// Memory is capped by `maxStates`. Past the cap, a transition or start that would need a new state
/// gives `dead` and `isExhausted` turns true for good: a caller checks it (or calls
/// `checkCapacity()`) after each batch of steps, e.g. once per mask, and fails the request, since
/// its results are incomplete from then on.
public final class LexemeDFA {
    /// A state of this automaton (valid only with the instance that made it): the offset of its
    /// row in the transition table.
    public struct StateID: Hashable, Sendable {
        public let rawValue: Int32
    }

    /// The state from which nothing can match; every byte leads back to it.
    public static let dead = StateID(rawValue: 0)
    /// The default cap on states (each costs its transition row, 4 bytes per byte class rounded up
    /// to a power of two, plus its NFA state list).
    public static let defaultMaxStates = 50_000

    public let nfa: LexemeNFA
    public let maxStates: Int
    /// The byte class of each byte.
    private let classOf: [UInt8]
    public let numByteClasses: Int
    /// log2 of the row length (the number of byte classes rounded up to a power of two).
    private let rowShift: Int

    // The arrays read per step skip Swift's dynamic exclusivity checks (a runtime call per access,
    // which tripled the cost of `next`): one thread uses an instance, and no read overlaps a write.

    /// `[numStates, 1 << rowShift]`: the next state, or -1 when not yet computed.
    @exclusivity(unchecked) private var table: [Int32] = []
    /// The NFA states of each state (byte-range and accepting states only), sorted.
    @exclusivity(unchecked) private var nfaStates: [[Int32]] = []
    private var stateOfNFAStates: [[Int32]: Int32] = [:]
    /// Per state: indices into `sets`.
    @exclusivity(unchecked) private var acceptingSet: [Int32] = []
    @exclusivity(unchecked) private var possibleSet: [Int32] = []
    @exclusivity(unchecked) private var liveBytesOf: [ByteMask] = []
    /// The distinct lexeme sets of all states, each stored once.
    @exclusivity(unchecked) private var sets: [LexemeSet] = []
    private var setIndex: [LexemeSet: Int32] = [:]
    private var starts: [LexemeSet: StateID] = [:]
    /// The index of the empty set in `sets` (interned first, by the dead state).
    private let emptySetIndex: Int32 = 0
    private var closure: NFAClosure

    public private(set) var isExhausted = false

    public init(nfa: LexemeNFA, maxStates: Int = LexemeDFA.defaultMaxStates) {
        self.nfa = nfa
        (classOf, numByteClasses) = Self.byteClasses(nfa)
        rowShift = Int.bitWidth - (numByteClasses - 1).leadingZeroBitCount
        // Row offsets must fit in an Int32.
        self.maxStates = min(max(maxStates, 1), Int(Int32.max) >> rowShift)
        closure = NFAClosure(nfa)
        _ = makeState([])  // dead
    }

    /// Builds the NFA of `lexemes` (lexeme i is `lexemes[i]`) and its DFA.
    public convenience init(
        lexemes: [RegexNode], maxNFAStates: Int = LexemeNFA.defaultMaxStates, maxStates: Int = LexemeDFA.defaultMaxStates
    ) throws(LexemeAutomatonError) {
        self.init(nfa: try LexemeNFA(lexemes: lexemes, maxStates: maxNFAStates), maxStates: maxStates)
    }

    public var numLexemes: Int { nfa.numLexemes }
    /// The states made so far (with `dead`).
    public var numStates: Int { nfaStates.count }

    /// Throws once the state cap has been reached.
    public func checkCapacity() throws(LexemeAutomatonError) {
        if isExhausted { throw .tooManyDFAStates(limit: maxStates) }
    }

    /// The state before any byte, when the lexemes in `allowed` may match (indices past the last
    /// lexeme are ignored). Cached per set.
    public func startState(allowed: LexemeSet) -> StateID {
        if let state = starts[allowed] { return state }
        var seeds: [Int32] = []
        for lexeme in allowed {
            guard lexeme < nfa.numLexemes else { break }
            seeds.append(nfa.starts[lexeme])
        }
        let state = makeState(closure.close(seeds))
        if !isExhausted || state != Self.dead { starts[allowed] = state }
        return state
    }

    /// The state after `byte`. A table read once the transition is known.
    @inline(__always)
    public func next(_ state: StateID, _ byte: UInt8) -> StateID {
        let target = table[Int(state.rawValue) &+ Int(classOf[Int(byte)])]
        if target >= 0 { return StateID(rawValue: target) }
        return computeNext(state, byte)
    }

    /// The lexemes whose whole text has been read at `state`.
    public func accepting(_ state: StateID) -> LexemeSet { sets[Int(acceptingSet[index(state)])] }

    /// Whether some lexeme has matched at `state` (cheaper than `accepting(state).isEmpty`).
    public func acceptsAny(_ state: StateID) -> Bool { acceptingSet[index(state)] != emptySetIndex }

    /// The lexemes that have matched or can still match with more bytes at `state`.
    public func possible(_ state: StateID) -> LexemeSet { sets[Int(possibleSet[index(state)])] }

    public func isDead(_ state: StateID) -> Bool { state.rawValue == 0 }

    /// The bytes that do not lead from `state` to `dead` (known without computing those transitions).
    public func liveBytes(_ state: StateID) -> ByteMask { liveBytesOf[index(state)] }

    /// The class of `byte`: bytes of one class lead every state to the same state.
    func byteClass(_ byte: UInt8) -> Int { Int(classOf[Int(byte)]) }

    /// The index of `state` in the per-state arrays.
    private func index(_ state: StateID) -> Int { Int(state.rawValue) >> rowShift }

    @inline(never)
    private func computeNext(_ state: StateID, _ byte: UInt8) -> StateID {
        var seeds: [Int32] = []
        for index in nfaStates[index(state)] {
            let nfaState = nfa.states[Int(index)]
            if nfaState.kind == .byteRange, nfaState.low <= byte, byte <= nfaState.high { seeds.append(nfaState.out) }
        }
        let target = makeState(closure.close(seeds))
        if !isExhausted || target != Self.dead {
            table[Int(state.rawValue) + Int(classOf[Int(byte)])] = target.rawValue
        }
        return target
    }

    /// The state of this set of NFA states (sorted), made if new and under the cap.
    private func makeState(_ key: [Int32]) -> StateID {
        if let existing = stateOfNFAStates[key] { return StateID(rawValue: existing) }
        guard nfaStates.count < maxStates else {
            isExhausted = true
            return Self.dead
        }
        let id = Int32(nfaStates.count << rowShift)
        var accepting = LexemeSet()
        var possible = LexemeSet()
        var live = ByteMask()
        for index in key {
            let nfaState = nfa.states[Int(index)]
            possible.insert(Int(nfaState.lexeme))
            if nfaState.kind == .accept {
                accepting.insert(Int(nfaState.lexeme))
            } else {
                live.insert(nfaState.low...nfaState.high)
            }
        }
        nfaStates.append(key)
        stateOfNFAStates[key] = id
        acceptingSet.append(intern(accepting))
        possibleSet.append(intern(possible))
        liveBytesOf.append(live)
        // The dead state's row leads to itself; other rows start unknown.
        table.append(contentsOf: repeatElement(id == 0 ? 0 : -1, count: 1 << rowShift))
        return StateID(rawValue: id)
    }

    private func intern(_ set: LexemeSet) -> Int32 {
        if let index = setIndex[set] { return index }
        sets.append(set)
        setIndex[set] = Int32(sets.count - 1)
        return Int32(sets.count - 1)
    }

    /// Bytes that every byte-range state treats alike share a class: the class boundaries are the
    /// starts and ends of all ranges.
    private static func byteClasses(_ nfa: LexemeNFA) -> ([UInt8], Int) {
        var startsClass = [Bool](repeating: false, count: 257)
        for (index, state) in nfa.states.enumerated() where state.kind == .byteRange && nfa.isUseful[index] {
            startsClass[Int(state.low)] = true
            startsClass[Int(state.high) + 1] = true
        }
        var classOf = [UInt8](repeating: 0, count: 256)
        var current = 0
        for byte in 1..<256 {
            if startsClass[byte] { current += 1 }
            classOf[byte] = UInt8(current)
        }
        return (classOf, current + 1)
    }
}
