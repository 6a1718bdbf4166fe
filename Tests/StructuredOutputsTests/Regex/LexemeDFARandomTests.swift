import StructuredOutputs
import Testing

/// Random regex trees and random texts: the DFA of several lexemes must accept exactly what the
/// reference matcher accepts, lexeme by lexeme, from any set of allowed lexemes.
@Suite struct LexemeDFARandomTests {
    /// Scalar ranges around the UTF-8 length boundaries and the surrogates.
    static let rangePool: [[ClosedRange<UInt32>]] = [
        [0x61...0x62], [0x7E...0x81], [0x7FF...0x801], [0xD7FE...0xE001], [0xFFFE...0x10001],
        [0x10FFFE...0x10FFFF], [0x61...0x61, 0xE9...0xE9], [0x00...0x7F], [0x80...0x10FFFF], [0x6F22...0x6F22],
        [0x1F600...0x1F64F], [0xC0...0x3000], [0x30...0x39, 0x1000...0x1FFFF],
    ]
    static let literalPool = ["a", "b", "ab", "é", "漢", "😀", "a😀", "\u{7F}", "\u{800}"]
    static let bytePool: [[ClosedRange<UInt8>]] = [[0x61...0x62], [0x80...0xBF], [0xC3...0xC3, 0xE6...0xE6], [0x00...0xFF]]

    static func randomNode(_ rng: inout SeededGenerator, depth: Int) -> RegexNode {
        let leaf = depth == 0 || Int.random(in: 0..<10, using: &rng) < 4
        if leaf {
            switch Int.random(in: 0..<20, using: &rng) {
            case 0: return .empty
            case 1: return .never
            case 2...3: return .bytes(bytePool.randomElement(using: &rng)!)
            case 4...10: return .scalars(rangePool.randomElement(using: &rng)!)
            default: return .literal(literalPool.randomElement(using: &rng)!)
            }
        }
        func children() -> [RegexNode] {
            (0..<Int.random(in: 2...3, using: &rng)).map { _ in randomNode(&rng, depth: depth - 1) }
        }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: return .concat(children())
        case 1: return .alternation(children())
        default:
            let min = Int.random(in: 0...2, using: &rng)
            let max: Int? = Bool.random(using: &rng) ? nil : min + Int.random(in: 0...2, using: &rng)
            return .repetition(randomNode(&rng, depth: depth - 1), min: min, max: max)
        }
    }

    /// A text the node matches (nil when it matches nothing we could find).
    static func sample(_ node: RegexNode, _ rng: inout SeededGenerator) -> [UInt8]? {
        switch node {
        case .empty: return []
        case .never: return nil
        case .literal(let text): return Array(text.utf8)
        case .bytes(let ranges): return [UInt8.random(in: ranges.randomElement(using: &rng)!, using: &rng)]
        case .scalars(let ranges):
            let range = ranges.randomElement(using: &rng)!
            let candidates = [range.lowerBound, range.upperBound, UInt32.random(in: range, using: &rng)]
            guard let scalar = candidates.shuffled(using: &rng).compactMap(Unicode.Scalar.init).first else { return nil }
            return Array(String(Character(scalar)).utf8)
        case .concat(let parts):
            var bytes: [UInt8] = []
            for part in parts {
                guard let piece = sample(part, &rng) else { return nil }
                bytes += piece
            }
            return bytes
        case .alternation(let branches):
            for branch in branches.shuffled(using: &rng) {
                if let bytes = sample(branch, &rng) { return bytes }
            }
            return nil
        case .repetition(let body, let min, let max):
            let count = Int.random(in: min...(max ?? min + 3), using: &rng)
            var bytes: [UInt8] = []
            for _ in 0..<count {
                guard let piece = sample(body, &rng) else { return count == 0 ? [] : nil }
                bytes += piece
            }
            return bytes
        }
    }

    /// Sampled texts of the lexemes, mutated bytewise, and short random texts.
    static func texts(_ lexemes: [RegexNode], _ rng: inout SeededGenerator) -> [[UInt8]] {
        var texts: [[UInt8]] = [[]]
        let noise: [UInt8] = [0x61, 0x62, 0x7F, 0x80, 0xBF, 0xC3, 0xA9, 0xE6, 0xED, 0xA0, 0xF0, 0x9F, 0xF4, 0x90, 0xFF]
        for _ in 0..<24 {
            var text = lexemes.randomElement(using: &rng).flatMap { sample($0, &rng) } ?? []
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !text.isEmpty: text.remove(at: Int.random(in: 0..<text.count, using: &rng))
            case 1: text.insert(noise.randomElement(using: &rng)!, at: Int.random(in: 0...text.count, using: &rng))
            case 2 where !text.isEmpty: text[Int.random(in: 0..<text.count, using: &rng)] = noise.randomElement(using: &rng)!
            case 3: text = (0..<Int.random(in: 0...4, using: &rng)).map { _ in noise.randomElement(using: &rng)! }
            default: break
            }
            texts.append(text)
        }
        return texts
    }

    @Test(arguments: 0..<8)
    func dfaAgreesWithReference(_ seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) * 7919 + 1)
        var numChecked = 0
        var numAccepted = 0
        for _ in 0..<40 {
            let lexemes = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.randomNode(&rng, depth: 3) }
            let dfa = try LexemeDFA(lexemes: lexemes)
            let allowedSets: [LexemeSet] = (0..<lexemes.count).map { [$0] } + [LexemeSet.all(lexemes.count),
                LexemeSet((0..<lexemes.count).filter { _ in Bool.random(using: &rng) })]
            for text in Self.texts(lexemes, &rng) {
                let matching = LexemeSet(lexemes.indices.filter { lexemes[$0].matches(text) })
                for allowed in allowedSets {
                    var state = dfa.startState(allowed: allowed)
                    var died = false
                    for byte in text {
                        #expect(dfa.possible(state).isSubset(of: allowed))
                        #expect(dfa.accepting(state).isSubset(of: dfa.possible(state)))
                        #expect(dfa.liveBytes(state).contains(byte) == !dfa.isDead(dfa.next(state, byte)))
                        state = dfa.next(state, byte)
                        died = died || dfa.isDead(state)
                    }
                    let expected = matching.intersection(allowed)
                    #expect(dfa.accepting(state) == expected, "\(lexemes) on \(text)")
                    #expect(dfa.acceptsAny(state) == !expected.isEmpty)
                    #expect(expected.isSubset(of: dfa.possible(state)))
                    if died { #expect(expected.isEmpty) }
                    numChecked += 1
                    if !expected.isEmpty { numAccepted += 1 }
                }
            }
            #expect(!dfa.isExhausted)
        }
        // The texts must exercise both verdicts.
        #expect(numAccepted > numChecked / 10 && numAccepted < numChecked * 9 / 10, "\(numAccepted) of \(numChecked)")
    }

    /// Every byte from every reached state: `liveBytes` is exactly the bytes that do not die.
    @Test func liveBytesAreExact() throws {
        var rng = SeededGenerator(seed: 99)
        for _ in 0..<60 {
            let lexemes = (0..<Int.random(in: 1...3, using: &rng)).map { _ in Self.randomNode(&rng, depth: 3) }
            let dfa = try LexemeDFA(lexemes: lexemes)
            var frontier = [dfa.startState(allowed: .all(lexemes.count))]
            var seen = Set(frontier)
            while let state = frontier.popLast(), seen.count < 200 {
                for byte in UInt8.min...UInt8.max {
                    let target = dfa.next(state, byte)
                    #expect(dfa.liveBytes(state).contains(byte) == !dfa.isDead(target))
                    if seen.insert(target).inserted { frontier.append(target) }
                }
            }
        }
    }
}
