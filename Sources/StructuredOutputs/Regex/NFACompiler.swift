/// Compiles regex trees into `LexemeNFA` states, back to front: `compile(node, next:)` returns the
/// entry of a fragment that goes on to `next`, so no patch lists are needed. The work is bounded:
/// every state added and every node visited counts against `maxStates`, so a repetition of a
/// repetition of nothing cannot run unbounded either.
struct NFACompiler {
    typealias State = LexemeNFA.State

    let maxStates: Int
    private(set) var states: [State] = []
    private(set) var starts: [Int32] = []
    /// Whether each state can reach an accepting state, decided when it is added: its outs exist
    /// by then (fragments are built back to front), except the body of an unbounded repetition,
    /// which only leads back to its loop state, so the loop is useful exactly when what follows it is.
    private(set) var useful: [Bool] = []
    private var lexeme: Int32 = 0
    private var work = 0
    private var depth = 0
    /// The state of `never`.
    private let fail: Int32 = 0
    /// The fragment of each non-ASCII scalar class compiled so far.
    private var scalarFragments: [[ClosedRange<UInt32>]: ScalarClassFragment] = [:]

    init(maxStates: Int) {
        self.maxStates = max(maxStates, 1)
        states.append(State(kind: .fail, lexeme: -1))
        useful.append(false)
    }

    mutating func compileLexeme(_ regex: RegexNode, index: Int) throws(LexemeAutomatonError) {
        lexeme = Int32(truncatingIfNeeded: index)
        let accept = try add(State(kind: .accept, lexeme: lexeme))
        starts.append(try compile(regex, next: accept))
    }

    private mutating func add(_ state: State) throws(LexemeAutomatonError) -> Int32 {
        guard states.count < maxStates else {
            throw .tooManyNFAStates(lexeme: Int(lexeme), limit: maxStates)
        }
        append(state)
        return Int32(states.count - 1)
    }

    private mutating func append(_ state: State) {
        states.append(state)
        switch state.kind {
        case .accept: useful.append(true)
        case .fail: useful.append(false)
        case .byteRange: useful.append(useful[Int(state.out)])
        case .split: useful.append(useful[Int(state.out)] || useful[Int(state.out2)])
        }
    }

    private mutating func byteRange(_ range: ClosedRange<UInt8>, next: Int32) throws(LexemeAutomatonError) -> Int32 {
        try add(State(kind: .byteRange, low: range.lowerBound, high: range.upperBound, out: next, lexeme: lexeme))
    }

    private mutating func split(_ first: Int32, _ second: Int32) throws(LexemeAutomatonError) -> Int32 {
        try add(State(kind: .split, out: first, out2: second, lexeme: lexeme))
    }

    /// A choice among `entries` (`fail` for none).
    private mutating func choice(_ entries: [Int32]) throws(LexemeAutomatonError) -> Int32 {
        guard var entry = entries.last else { return fail }
        for other in entries.dropLast().reversed() { entry = try split(other, entry) }
        return entry
    }

    private mutating func compile(_ node: RegexNode, next: Int32) throws(LexemeAutomatonError) -> Int32 {
        work += 1
        depth += 1
        defer { depth -= 1 }
        guard work <= 4 * maxStates else { throw .tooManyNFAStates(lexeme: Int(lexeme), limit: maxStates) }
        guard depth <= LexemeNFA.maxDepth else { throw .nestingTooDeep(lexeme: Int(lexeme), limit: LexemeNFA.maxDepth) }
        switch node {
        case .empty:
            return next
        case .never:
            return fail
        case .literal(let text):
            var entry = next
            for byte in text.utf8.reversed() { entry = try byteRange(byte...byte, next: entry) }
            return entry
        case .bytes(let ranges):
            var entries: [Int32] = []
            for range in ranges { entries.append(try byteRange(range, next: next)) }
            return try choice(entries)
        case .scalars(let ranges):
            return try scalars(ranges, next: next)
        case .concat(let parts):
            var entry = next
            for part in parts.reversed() { entry = try compile(part, next: entry) }
            return entry
        case .alternation(let branches):
            var entries: [Int32] = []
            for branch in branches { entries.append(try compile(branch, next: next)) }
            return try choice(entries)
        case .repetition(let body, let min, let max):
            guard min >= 0, max.map({ $0 >= min }) ?? true else {
                throw .invalidRepetition(lexeme: Int(lexeme), min: min, max: max)
            }
            var entry: Int32
            if let max {
                // Nested optionals, (x(x(x)?)?)?, so a DFA state holds one position of the chain.
                entry = next
                for _ in 0..<(max - min) { entry = try split(try compile(body, next: entry), next) }
            } else {
                entry = try split(fail, next)
                let bodyEntry = try compile(body, next: entry)
                states[Int(entry)].out = bodyEntry
            }
            for _ in 0..<min { entry = try compile(body, next: entry) }
            return entry
        }
    }

    /// One scalar in `ranges`: a copy of the class's fragment (`ScalarClassFragment`), made once per
    /// compiler for each distinct class (a grammar's string lexemes share a few classes).
    private mutating func scalars(_ ranges: [ClosedRange<UInt32>], next: Int32) throws(LexemeAutomatonError) -> Int32 {
        if ranges.allSatisfy({ $0.upperBound < 0x80 }) {  // ASCII: one byte each
            var entries: [Int32] = []
            for range in ranges { entries.append(try byteRange(UInt8(range.lowerBound)...UInt8(range.upperBound), next: next)) }
            return try choice(entries)
        }
        let fragment: ScalarClassFragment
        if let known = scalarFragments[ranges] {
            fragment = known
        } else {
            fragment = ScalarClassFragment(ranges)
            scalarFragments[ranges] = fragment
        }
        guard fragment.entry >= 0 else { return fail }
        guard states.count + fragment.states.count <= maxStates else {
            throw .tooManyNFAStates(lexeme: Int(lexeme), limit: maxStates)
        }
        let base = Int32(states.count)
        func resolve(_ out: Int32) -> Int32 { out == ScalarClassFragment.exit ? next : out < 0 ? out : out + base }
        for var state in fragment.states {
            state.out = resolve(state.out)
            state.out2 = resolve(state.out2)
            state.lexeme = lexeme
            append(state)
        }
        return fragment.entry + base
    }
}
