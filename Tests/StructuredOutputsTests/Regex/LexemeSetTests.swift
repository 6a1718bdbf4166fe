import StructuredOutputs
import Testing

@Suite struct LexemeSetTests {
    @Test func setOperations() {
        var set: LexemeSet = [3, 64, 1000]
        #expect(set.count == 3 && set.contains(64) && !set.contains(65) && !set.contains(-1))
        #expect(Array(set) == [3, 64, 1000] && set.first == 3)
        #expect(set.insert(5) && !set.insert(5))
        set.remove(1000)
        set.remove(5)
        // Equal sets are equal values, with equal hashes, however they were made.
        #expect(set == [3, 64] && set.hashValue == LexemeSet([64, 3]).hashValue)
        #expect(set.union([1, 200]) == [1, 3, 64, 200])
        #expect(set.intersection([64, 200]) == [64])
        #expect(set.intersection([200]).isEmpty && set.intersection([200]) == LexemeSet())
        #expect(set.subtracting([3]) == [64])
        #expect(set.isDisjoint(with: [4, 200]) && !set.isDisjoint(with: [64]))
        #expect(set.isSubset(of: [3, 64, 99]) && !set.isSubset(of: [3]))
        #expect(LexemeSet().isSubset(of: []) && LexemeSet().first == nil && LexemeSet().isEmpty)
        #expect(LexemeSet.all(130).count == 130 && LexemeSet.all(0).isEmpty)
        #expect(set.description == "[3, 64]")
    }

    @Test func iterationMatchesAReferenceSet() {
        var rng = SeededGenerator(seed: 11)
        for _ in 0..<100 {
            let indices = Set((0..<Int.random(in: 0...40, using: &rng)).map { _ in Int.random(in: 0..<500, using: &rng) })
            let other = Set((0..<Int.random(in: 0...40, using: &rng)).map { _ in Int.random(in: 0..<300, using: &rng) })
            let set = LexemeSet(indices)
            #expect(Array(set) == indices.sorted())
            #expect(Array(set.union(LexemeSet(other))) == indices.union(other).sorted())
            #expect(Array(set.intersection(LexemeSet(other))) == indices.intersection(other).sorted())
            #expect(Array(set.subtracting(LexemeSet(other))) == indices.subtracting(other).sorted())
            #expect(set.isDisjoint(with: LexemeSet(other)) == indices.isDisjoint(with: other))
        }
    }
}
