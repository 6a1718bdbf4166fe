import Foundation
import Testing
@testable import ModelFormats

/// Seeded mutations of valid files: every outcome is a typed error or a file whose tensors
/// all convert (proving every view lies inside the file).
struct SafeTensorsFuzzTests {
    /// SplitMix64: small, seeded, platform-independent.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func mutate(_ original: [UInt8], headerLength: Int, rng: inout SeededRandom) -> [UInt8] {
        var bytes = original
        switch rng.next() % 7 {
        case 0: // flip bytes anywhere
            for _ in 0..<(1 + rng.next() % 4) {
                let i = Int(rng.next() % UInt64(bytes.count))
                bytes[i] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            }
        case 1: // random byte in the header
            let i = 8 + Int(rng.next() % UInt64(headerLength))
            bytes[i] = UInt8(truncatingIfNeeded: rng.next())
        case 2: // truncate
            bytes.removeLast(1 + Int(rng.next() % UInt64(bytes.count)))
        case 3: // header length edits
            let edits: [UInt64] = [0, 1, 7, UInt64(headerLength - 1), UInt64(headerLength + 1),
                                   UInt64(bytes.count - 8), UInt64(bytes.count - 7), UInt64.max,
                                   100_000_001, UInt64(Int.max), rng.next()]
            let value = edits[Int(rng.next() % UInt64(edits.count))]
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
        case 4: // change a digit in the header (offsets, shapes)
            let digits = (8..<(8 + headerLength)).filter { (0x30...0x39).contains(bytes[$0]) }
            if let i = digits.randomElement(using: &rng) {
                bytes[i] = 0x30 + UInt8(rng.next() % 10)
            }
        case 5: // swap two header digits
            let digits = (8..<(8 + headerLength)).filter { (0x30...0x39).contains(bytes[$0]) }
            if let i = digits.randomElement(using: &rng), let j = digits.randomElement(using: &rng) {
                bytes.swapAt(i, j)
            }
        default: // replace a digit run with a sign, a huge number or a fraction
            let digits = (8..<(8 + headerLength)).filter { (0x30...0x39).contains(bytes[$0]) }
            if let i = digits.randomElement(using: &rng) {
                let inserts = ["-", "99999999999999999999", "1.5", "e9", "9223372036854775807"]
                let text = inserts[Int(rng.next() % UInt64(inserts.count))]
                bytes.replaceSubrange(i..<(i + 1), with: Array(text.utf8))
                // keep the announced length consistent so the JSON edit is what gets tested
                let newLength = UInt64(headerLength + text.utf8.count - 1)
                withUnsafeBytes(of: newLength.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            }
        }
        return bytes
    }

    @Test func mutatedFilesNeverTrapOrReadOutOfBounds() throws {
        let seeds = try [SafeTensorsTestSupport.sampleFile(),
                         Array(Data(contentsOf: SafeTensorsTestSupport.fixture("safetensors", "sharded", "model-00001-of-00002.safetensors")))]
        var rng = SeededRandom(state: 0x5AFE_7E45)
        var numValid = 0, numErrors = 0
        for iteration in 0..<8000 {
            let original = seeds[iteration % seeds.count]
            let headerLength = original.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
            let bytes = mutate(original, headerLength: headerLength, rng: &rng)
            do {
                let file = try SafeTensorsFile(bytes: bytes, name: "fuzz")
                var total = 0
                for tensor in file.tensors {
                    let raw = try file.data(for: tensor)
                    #expect(raw.count == tensor.numBytes)
                    total += raw.count
                    if tensor.dtype.isConvertibleToFloat {
                        #expect(try file.toFloat(tensor).count == tensor.numElements)
                    }
                }
                #expect(total <= bytes.count - 8)
                numValid += 1
            } catch is SafeTensorsError {
                numErrors += 1
            }
        }
        // both outcomes are exercised (a mutation that keeps the file valid is common: data bytes)
        #expect(numValid > 100)
        #expect(numErrors > 3000)
    }
}
