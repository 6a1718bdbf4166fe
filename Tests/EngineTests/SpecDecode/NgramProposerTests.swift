import Testing
@testable import Engine

/// Prompt lookup: the longest matching suffix (within min...max), its earliest earlier occurrence,
/// the tokens after it, bounded by k and the caller's limit.
struct NgramProposerTests {
    @Test func proposesTheTokensAfterTheEarliestLongestMatch() {
        let proposer = NgramProposer(minN: 2, maxN: 3, k: 3)
        // suffix [7, 8, 9] occurs at 1 and 6; the earliest wins: 4, 5, 7 follow it
        #expect(proposer.propose([1, 7, 8, 9, 4, 5, 7, 8, 9, 6, 2, 7, 8, 9], limit: 10) == [4, 5, 7])
        // a length-3 match beats an earlier length-2 one: [8, 9] at 0, [5, 8, 9] only at 3
        #expect(proposer.propose([8, 9, 1, 5, 8, 9, 2, 5, 8, 9], limit: 10) == [2, 5, 8])
        // the draft stops where the sequence ends
        #expect(proposer.propose([3, 4, 3, 4], limit: 10) == [3, 4])
        // an occurrence may overlap the suffix itself
        #expect(proposer.propose([5, 5, 5, 5], limit: 10) == [5])
    }

    @Test func respectsTheLimitsAndTheMinimum() {
        let proposer = NgramProposer(minN: 2, maxN: 4, k: 5)
        #expect(proposer.propose([1, 2, 3, 4, 5, 6, 1, 2], limit: 2) == [3, 4])
        #expect(proposer.propose([1, 2, 3, 4, 5, 6, 1, 2], limit: 0) == [])
        // only a 1-token suffix repeats: below the minimum
        #expect(proposer.propose([1, 2, 3, 4, 5, 6, 7, 2], limit: 5) == [])
        #expect(proposer.propose([1, 2], limit: 5) == [])
        #expect(NgramProposer(minN: 1, maxN: 1, k: 2).propose([1, 2, 3, 4, 5, 6, 7, 2], limit: 5) == [3, 4])
        // k caps the draft
        #expect(NgramProposer(minN: 2, maxN: 2, k: 2).propose([1, 2, 3, 4, 5, 1, 2], limit: 9) == [3, 4])
    }
}
