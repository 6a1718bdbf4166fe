import StructuredOutputs

/// A small seeded generator (SplitMix64), so random tests are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

extension LexemeDFA {
    /// The state after all of `bytes` from the start state of `allowed`.
    func run(_ bytes: [UInt8], allowed: LexemeSet) -> StateID {
        var state = startState(allowed: allowed)
        for byte in bytes { state = next(state, byte) }
        return state
    }

    /// The lexemes of `allowed` that match all of `bytes`.
    func accepted(_ bytes: [UInt8], allowed: LexemeSet) -> LexemeSet {
        accepting(run(bytes, allowed: allowed))
    }
}
