import Testing
@testable import ModelFormats

/// Seeded mutation fuzzing of the GGUF parser: every mutated file must either be rejected with
/// a GGUFError or parse into tensors that lie inside the file and dequantize without faults.
@Suite struct GGUFFuzzTests {
    static let iterationsPerFile = 4000
    static let edgeValues64: [UInt64] = [0, 1, 7, 255, 1 << 31, 1 << 32, 1 << 62, 1 << 63, UInt64.max, UInt64.max - 31]
    static let edgeValues32: [UInt32] = [0, 1, 5, 9, 12, 13, 31, 255, 1 << 31, UInt32.max]

    /// Base files: the sample writer file at two alignments, and one with every supported type.
    static func baseFiles() throws -> [[UInt8]] {
        var everyType = try GGUFWriter(alignment: 16)
        try everyType.addMetadata("tokenizer.ggml.tokens", .array(.strings(["<s>", "a", "bc"])))
        try everyType.addMetadata("tokenizer.ggml.scores", .array(.float32s([0, -1, -2])))
        let types: [GGMLType] = [.bf16, .q4_0, .q5_0, .q5_1, .q2_K, .q3_K, .q5_K, .q8_K, .f32]
        for (i, type) in types.enumerated() {
            let count = type.blockSize == 1 ? 8 : type.blockSize
            try everyType.addTensor(name: "t\(i)", type: type, shape: [count],
                                    data: GGUFTestSupport.blocks(type, numElements: count, seed: UInt64(50 + i)))
        }
        return [
            try GGUFTestSupport.sampleWriter().serialized(),
            try GGUFTestSupport.sampleWriter(alignment: 64).serialized(),
            everyType.serialized(),
        ]
    }

    static func mutate(_ base: [UInt8], _ rng: inout GGUFTestSupport.SeededRandom) -> [UInt8] {
        var bytes = base
        let numMutations = Int.random(in: 1...3, using: &rng)
        for _ in 0..<numMutations where !bytes.isEmpty {
            let position = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            case 1:
                bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 2:
                bytes.removeSubrange(position...)
            case 3:
                // A count or length field: the header counts, the first key length, or anywhere.
                let target = [8, 16, 24, position].randomElement(using: &rng) ?? position
                let value = edgeValues64.randomElement(using: &rng) ?? 0
                overwrite(&bytes, at: target, with: withUnsafeBytes(of: value.littleEndian) { Array($0) })
            case 4:
                let value = edgeValues32.randomElement(using: &rng) ?? 0
                overwrite(&bytes, at: position, with: withUnsafeBytes(of: value.littleEndian) { Array($0) })
            default:
                let length = min(Int.random(in: 1...16, using: &rng), bytes.count - position)
                bytes.removeSubrange(position..<position + length)
            }
        }
        return bytes
    }

    static func overwrite(_ bytes: inout [UInt8], at offset: Int, with value: [UInt8]) {
        for (i, byte) in value.enumerated() where offset + i < bytes.count {
            bytes[offset + i] = byte
        }
    }

    /// Parses `bytes`; on success checks every tensor's range and dequantizes supported ones.
    /// Returns whether it parsed.
    static func check(_ bytes: [UInt8]) throws -> Bool {
        try bytes.withUnsafeBytes { raw in
            let header: GGUFHeaderParser.Header
            do {
                header = try GGUFHeaderParser.parse(bytes: raw, path: "fuzz.gguf")
            } catch let error as GGUFError {
                #expect(error.description.hasPrefix("fuzz.gguf: "))
                return false
            }
            var covered = 0
            for tensor in header.tensors {
                let start = header.dataOffset + tensor.offset
                #expect(tensor.offset >= 0 && start <= raw.count && tensor.byteCount <= raw.count - start)
                guard start <= raw.count, tensor.byteCount <= raw.count - start else { continue }
                covered += tensor.byteCount
                let data = UnsafeRawBufferPointer(rebasing: raw[start..<start + tensor.byteCount])
                if tensor.type.isSupported {
                    let values = try dequantizeReference(type: tensor.type, from: data, count: tensor.numElements)
                    #expect(values.count == tensor.numElements)
                }
            }
            #expect(covered <= raw.count)
            return true
        }
    }

    @Test func mutatedFilesNeverTrapOrReadOutOfBounds() throws {
        var rng = GGUFTestSupport.SeededRandom(seed: 0x5EED)
        var numParsed = 0
        var numRejected = 0
        for base in try Self.baseFiles() {
            #expect(try Self.check(base))
            for _ in 0..<Self.iterationsPerFile {
                if try Self.check(Self.mutate(base, &rng)) { numParsed += 1 } else { numRejected += 1 }
            }
        }
        // Both outcomes must be well exercised for the test to mean anything.
        #expect(numParsed > 1000, "parsed \(numParsed)")
        #expect(numRejected > 5000, "rejected \(numRejected)")
        print("GGUF fuzz: \(numParsed) parsed, \(numRejected) rejected")
    }
}
