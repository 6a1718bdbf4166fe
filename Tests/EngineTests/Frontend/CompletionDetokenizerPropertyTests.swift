import Testing
@testable import Engine

/// The completion detokenizer against a plain-string model of vLLM's stop-string rules, on
/// random fake-model sequences and random stop strings over the same letters.
@Suite struct CompletionDetokenizerPropertyTests {
    struct SplitMix {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Longest suffix of `text` that is a proper prefix of a stop string.
    func held(_ text: [Character], _ stops: [[Character]]) -> Int {
        var best = 0
        for stop in stops where stop.count > 1 {
            for k in 1..<stop.count where k <= text.count && Array(text.suffix(k)) == Array(stop.prefix(k)) { best = max(best, k) }
        }
        return best
    }

    /// Earliest start of a stop string ending after `from` in `text` (ties: first listed).
    func match(_ text: [Character], _ stops: [[Character]], from: Int) -> (index: Int, start: Int)? {
        var best: (index: Int, start: Int)?
        for (index, stop) in stops.enumerated() where stop.count <= text.count {
            for start in 0...(text.count - stop.count) where start + stop.count > from && Array(text[start..<start + stop.count]) == stop {
                if best == nil || start < best!.start { best = (index, start) }
                break
            }
        }
        return best
    }

    @Test func deltasAndFinalTextFollowTheModel() throws {
        let tokenizer = try FakeFrontend.tokenizer()
        var random = SplitMix(state: 11)
        var numStopped = 0
        for _ in 0..<300 {
            let tokens = FakeExecutor.reference(prompt: (0..<4).map { _ in 1 + random.next(98) }, count: 12)
            let stops = (0..<1 + random.next(3)).map { _ in
                String((0..<1 + random.next(4)).map { _ in FakeFrontend.letters[random.next(10)] })
            }
            let include = random.next(2) == 0
            let params = SamplingParams(maxTokens: 12, stop: stops, includeStopStrInOutput: include)
            var detokenizer = CompletionDetokenizer(tokenizer: tokenizer, params: params)
            let stopChars = stops.map { Array($0) }
            var full: [Character] = []
            var released = ""
            var expectedStop: String?
            var expectedText: [Character] = []
            for (k, token) in tokens.enumerated() {
                let from = full.count
                if token % 50 != 0 { full += Array(FakeFrontend.text(token)) }
                let stop = detokenizer.update([token], stopTerminated: false)
                let last = k == tokens.count - 1
                if let (index, start) = match(full, stopChars, from: from) {
                    expectedStop = stops[index]
                    expectedText = Array(full[..<(include ? start + stopChars[index].count : start)])
                } else {
                    expectedText = full
                }
                #expect(stop == expectedStop)
                released += detokenizer.nextDelta(finished: stop != nil || last)
                if stop != nil || last {
                    #expect(released == String(expectedText), "tokens \(tokens) stops \(stops)")
                    break
                }
                let hold = include ? 0 : held(full, stopChars)
                #expect(released == String(full.dropLast(hold)), "tokens \(tokens) stops \(stops)")
            }
            if expectedStop != nil { numStopped += 1 }
        }
        // Both kinds of endings occur: 156 of the 300 seeded cases stop on a string.
        #expect(numStopped == 156)
    }
}
