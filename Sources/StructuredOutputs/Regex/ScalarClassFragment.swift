/// The NFA states of "one scalar in these ranges", free of any position: state indices are local
/// (0 is the first of `states`) and `exit` stands for the state that follows the scalar. The UTF-8
/// byte-range sequences are built from their last byte back, with equal tails (the shared
/// continuation bytes) made once. `NFACompiler` makes one per class and copies it where the class
/// is used, which costs a copy instead of a UTF-8 split and a dictionary per use.
struct ScalarClassFragment {
    typealias State = LexemeNFA.State

    /// The out of a state that goes on past the scalar.
    static let exit: Int32 = -2
    /// The entry of a class without scalars.
    static let fail: Int32 = -1

    private(set) var states: [State] = []
    /// The fragment's entry: a local index, or `fail` when the ranges hold no scalar.
    private(set) var entry: Int32 = fail

    init(_ ranges: [ClosedRange<UInt32>]) {
        struct Key: Hashable { var low: UInt8; var high: UInt8; var next: Int32 }
        var made: [Key: Int32] = [:]
        var entries: [Int32] = []
        var seen: Set<Int32> = []
        for range in ranges {
            for sequence in UTF8Ranges.sequences(range) {
                var entry = Self.exit
                for byteRange in sequence.reversed() {
                    let key = Key(low: byteRange.lowerBound, high: byteRange.upperBound, next: entry)
                    if let existing = made[key] {
                        entry = existing
                    } else {
                        entry = add(State(kind: .byteRange, low: byteRange.lowerBound, high: byteRange.upperBound, out: entry, lexeme: -1))
                        made[key] = entry
                    }
                }
                if seen.insert(entry).inserted { entries.append(entry) }
            }
        }
        guard var choice = entries.last else { return }
        for other in entries.dropLast().reversed() {
            choice = add(State(kind: .split, out: other, out2: choice, lexeme: -1))
        }
        entry = choice
    }

    private mutating func add(_ state: State) -> Int32 {
        states.append(state)
        return Int32(states.count - 1)
    }
}
