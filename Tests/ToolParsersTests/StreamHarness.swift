import Testing
import ToolParsers

/// Streams text through a parser in given pieces and gathers what came out the way a client does.
enum StreamHarness {
    struct Result: Equatable {
        var content = ""
        var calls: [ExtractedToolCall] = []
    }

    static func run(_ parser: any ToolParser, pieces: [String]) -> Result {
        let stream = parser.makeStreamingParser()
        var result = Result()
        for delta in pieces.map({ stream.feed($0) }) + [stream.finish()] {
            result.content += delta.content ?? ""
            for call in delta.calls {
                if call.index == result.calls.count {
                    // A call's first delta carries its name; later ones never do.
                    #expect(call.name != nil)
                    result.calls.append(ExtractedToolCall(id: call.id, name: call.name ?? "", arguments: ""))
                } else {
                    #expect(call.index == result.calls.count - 1)
                    #expect(call.name == nil && call.id == nil)
                }
                result.calls[call.index].arguments += call.arguments ?? ""
            }
        }
        return result
    }

    /// The non-streaming extraction in the same shape, ids left out when `ignoringIDs`.
    static func expected(_ parser: any ToolParser, _ text: String) -> Result {
        let extraction = parser.extract(from: text)
        return Result(content: extraction.content ?? "", calls: extraction.calls)
    }

    static func withoutIDs(_ result: Result) -> Result {
        Result(content: result.content, calls: result.calls.map { ExtractedToolCall(name: $0.name, arguments: $0.arguments) })
    }

    /// The text cut at every position into two pieces, then one scalar a piece, then random cuts.
    static func splits(of text: String, randomCount: Int = 20) -> [[String]] {
        let characters = Array(text)
        var result: [[String]] = [[text]]
        for cut in 0...characters.count {
            result.append([String(characters[..<cut]), String(characters[cut...])])
        }
        result.append(characters.map { String($0) })
        var generator = Lcg(seed: UInt64(truncatingIfNeeded: text.utf8.count) &* 0x9E37)
        for _ in 0..<randomCount {
            var pieces: [String] = []
            var start = 0
            while start < characters.count {
                let length = Int(generator.next() % 7) + 1
                let end = min(characters.count, start + length)
                pieces.append(String(characters[start..<end]))
                start = end
            }
            result.append(pieces)
        }
        return result
    }

    /// Checks every split of `text` streams to the non-streaming result.
    static func checkStreaming(_ parser: any ToolParser, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = withoutIDs(Self.expected(parser, text))
        for pieces in splits(of: text) {
            let streamed = withoutIDs(run(parser, pieces: pieces))
            #expect(streamed == expected, "pieces: \(pieces)", sourceLocation: sourceLocation)
            if streamed != expected { return }
        }
    }
}

/// A small deterministic generator for random splits (a linear congruence, high bits).
struct Lcg {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 29
    }
}
