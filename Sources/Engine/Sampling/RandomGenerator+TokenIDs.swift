extension RandomGenerator {
    /// A random token id for synthetic prompts (benchmarks): above the first 256 ids, which hold
    /// the special and byte tokens of the usual vocabularies, or any id when the vocabulary has no
    /// more than 256.
    public mutating func ordinaryTokenID(vocabSize: Int) -> Int {
        let first = vocabSize > 256 ? 256 : 0
        return first + Int(next() % UInt64(max(1, vocabSize - first)))
    }
}
