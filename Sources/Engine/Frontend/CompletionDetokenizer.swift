import SwiftletTokenizers

/// The text of one completion as it grows (vLLM's incremental detokenizer): detokenizes new
/// tokens, looks for the request's stop strings in the new text (across token boundaries), and
/// hands text out in deltas that hold back only the tail that could still become a stop string.
///
/// Text is kept as UTF-8 bytes, and stop strings are matched byte for byte: on valid UTF-8 this
/// is matching by Unicode scalar, as vLLM matches Python strings, and cuts land on scalar
/// boundaries. The prompt is never part of the text, so a stop string never matches inside it.
struct CompletionDetokenizer {
    private var stream: StreamingDetokenizer
    private let stops: [[UInt8]]
    private let stopTexts: [String]
    private let includeStopString: Bool
    private let minTokens: Int
    /// The detokenized text so far, cut at a matched stop string.
    private(set) var bytes: [UInt8] = []
    /// Leading bytes of `bytes` already handed out.
    private var numReleased = 0
    private var numTokens = 0
    private var flushed = false

    init(tokenizer: Tokenizer, params: SamplingParams) {
        stream = tokenizer.makeStreamingDetokenizer(skipSpecialTokens: params.skipSpecialTokens,
                                                    spacesBetweenSpecialTokens: params.spacesBetweenSpecialTokens)
        stopTexts = params.stop.filter { !$0.isEmpty }
        stops = stopTexts.map { Array($0.utf8) }
        includeStopString = params.includeStopStrInOutput
        minTokens = params.minTokens
    }

    /// Folds in a step's new tokens and returns the stop string they completed, if any (the text
    /// is then cut before it, or after it with `includeStopStrInOutput`).
    ///
    /// - Parameter stopTerminated: the engine core stopped on the last token (end-of-sequence or
    ///   a stop token id). As in vLLM, that token's text is left out unless
    ///   `includeStopStrInOutput`, and stop strings are not checked.
    mutating func update(_ newTokenIDs: [Int], stopTerminated: Bool) -> String? {
        guard !newTokenIDs.isEmpty else { return nil }
        let numDecoded = stopTerminated && !includeStopString ? newTokenIDs.count - 1 : newTokenIDs.count
        var checkFrom = bytes.count
        for (k, id) in newTokenIDs.enumerated() {
            numTokens += 1
            if k < numDecoded {
                // An id outside the vocabulary cannot come from the engine (it samples within it).
                bytes.append(contentsOf: ((try? stream.append(id)) ?? "").utf8)
            }
            // vLLM: text of the first minTokens tokens never ends a stop string.
            if numTokens <= minTokens { checkFrom = bytes.count }
        }
        guard !stopTerminated, !stops.isEmpty, numTokens > minTokens, checkFrom < bytes.count else { return nil }
        guard let (index, start) = earliestMatch(endingAfter: checkFrom) else { return nil }
        let cut = includeStopString ? start + stops[index].count : start
        bytes.removeSubrange(max(cut, numReleased)...)
        flushed = true  // bytes still pending in the stream come after the stop string
        return stopTexts[index]
    }

    /// The text not yet handed out. While unfinished it keeps back the longest tail that is the
    /// beginning of a stop string (nothing with `includeStopStrInOutput`); once finished it hands
    /// out everything, including bytes of an incomplete character (as U+FFFD).
    mutating func nextDelta(finished: Bool) -> String {
        if finished && !flushed {
            bytes.append(contentsOf: stream.finish().utf8)
            flushed = true
        }
        let end = finished ? bytes.count : max(numReleased, bytes.count - heldBackCount())
        guard end > numReleased else { return "" }
        let delta = String(decoding: bytes[numReleased..<end], as: UTF8.self)
        numReleased = end
        return delta
    }

    /// The earliest stop-string occurrence that ends after byte `offset` (ties: the first listed).
    private func earliestMatch(endingAfter offset: Int) -> (index: Int, start: Int)? {
        var best: (index: Int, start: Int)?
        for (index, stop) in stops.enumerated() {
            var start = max(0, offset - stop.count + 1)
            let last = bytes.count - stop.count
            while start <= last {
                if let best, start >= best.start { break }
                if bytes[start] == stop[0] && matches(stop, at: start) {
                    best = (index, start)
                    break
                }
                start += 1
            }
        }
        return best
    }

    private func matches(_ stop: [UInt8], at start: Int) -> Bool {
        for j in 1..<stop.count where bytes[start + j] != stop[j] { return false }
        return true
    }

    /// Length of the longest suffix of the text that is a proper prefix of some stop string.
    private func heldBackCount() -> Int {
        guard !includeStopString else { return 0 }
        var held = 0
        for stop in stops {
            var length = min(stop.count - 1, bytes.count)
            while length > held {
                let base = bytes.count - length
                var equal = true
                for j in 0..<length where bytes[base + j] != stop[j] {
                    equal = false
                    break
                }
                if equal { held = length }
                else { length -= 1 }
            }
        }
        return held
    }
}
