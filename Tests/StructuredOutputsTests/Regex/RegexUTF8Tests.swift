@testable import StructuredOutputs
import Testing

/// Scalar ranges become UTF-8 byte automata that accept exactly the well-formed encodings of
/// their scalars, checked against the standard library's UTF-8 validation.
@Suite struct RegexUTF8Tests {
    /// Whether `bytes` is the well-formed UTF-8 of exactly one scalar, and which.
    func scalar(_ bytes: [UInt8]) -> UInt32? {
        guard let text = String(validating: bytes, as: UTF8.self), text.unicodeScalars.count == 1 else { return nil }
        return text.unicodeScalars.first?.value
    }

    @Test func anyScalarIsExactlyWellFormedUTF8() throws {
        let dfa = try LexemeDFA(lexemes: [.anyScalar])
        func accepts(_ bytes: [UInt8]) -> Bool { dfa.accepted(bytes, allowed: [0]) == [0] }
        var sequences: [[UInt8]] = (0...255).map { [UInt8($0)] }
        for first in 0xC0...0xFF { for second in 0...255 { sequences.append([UInt8(first), UInt8(second)]) } }
        for first: UInt8 in [0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF] {
            for second in UInt8.min...UInt8.max { for third: UInt8 in [0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0] { sequences.append([first, second, third]) } }
        }
        for first: UInt8 in [0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7] {
            for second in UInt8.min...UInt8.max {
                for third: UInt8 in [0x7F, 0x80, 0xBF, 0xC0] { for fourth: UInt8 in [0x80, 0xBF, 0xC0] { sequences.append([first, second, third, fourth]) } }
            }
        }
        var numAccepted = 0
        for bytes in sequences {
            #expect(accepts(bytes) == (scalar(bytes) != nil), "\(bytes)")
            if accepts(bytes) { numAccepted += 1 }
        }
        #expect(numAccepted > 1000)
    }

    @Test func randomRangesAcceptTheirScalarsOnly() throws {
        var rng = SeededGenerator(seed: 3)
        let edges: [UInt32] = [0, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x3FFFF, 0x40000, 0x10FFFF]
        for _ in 0..<300 {
            func point() -> UInt32 {
                Bool.random(using: &rng) ? edges.randomElement(using: &rng)! &+ UInt32.random(in: 0...2, using: &rng) &- 1
                    : UInt32.random(in: 0...0x10FFFF, using: &rng)
            }
            let (a, b) = (point() % 0x110000, point() % 0x110000)
            let range = min(a, b)...max(a, b)
            let dfa = try LexemeDFA(lexemes: [.scalars([range])])
            var probes = [range.lowerBound, range.upperBound, range.lowerBound &- 1, range.upperBound + 1]
            probes += (0..<20).map { _ in UInt32.random(in: range, using: &rng) } + edges
            for value in probes {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let accepted = dfa.accepted(Array(String(Character(scalar)).utf8), allowed: [0]) == [0]
                #expect(accepted == range.contains(value), "\(range) on U+\(String(value, radix: 16))")
            }
        }
    }

    @Test func rangesSplitIntoProductsOfByteRanges() {
        #expect(UTF8Ranges.sequences(0...0x7F) == [[0...0x7F]])
        #expect(UTF8Ranges.sequences(0x80...0x7FF) == [[0xC2...0xDF, 0x80...0xBF]])
        #expect(UTF8Ranges.sequences(0x800...0xFFFF) == [
            [0xE0...0xE0, 0xA0...0xBF, 0x80...0xBF], [0xE1...0xEC, 0x80...0xBF, 0x80...0xBF],
            [0xED...0xED, 0x80...0x9F, 0x80...0xBF], [0xEE...0xEF, 0x80...0xBF, 0x80...0xBF],
        ])
        #expect(UTF8Ranges.sequences(0x10000...0x10FFFF) == [
            [0xF0...0xF0, 0x90...0xBF, 0x80...0xBF, 0x80...0xBF], [0xF1...0xF3, 0x80...0xBF, 0x80...0xBF, 0x80...0xBF],
            [0xF4...0xF4, 0x80...0x8F, 0x80...0xBF, 0x80...0xBF],
        ])
        #expect(UTF8Ranges.sequences(0xD800...0xDFFF).isEmpty)
    }
}
