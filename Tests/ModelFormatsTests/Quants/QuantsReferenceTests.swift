import Foundation
import Testing
@testable import ModelFormats

/// Dequantize references against gguf-py (scripts/fixtures/gguf_quant_fixtures.py): the random
/// blocks in Fixtures/quants and gguf-py's float32 output. Every type is compared bit for bit:
/// each output is one or two float32 roundings (d * q, then - m or + m, or (d * sc) * q) in
/// the same order as gguf-py's numpy code, and neither side fuses into an FMA.
@Suite struct QuantsReferenceTests {
    static let fixtureTypes: [GGMLType] = [
        .f32, .f16, .bf16, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K,
    ]

    static func load(_ type: GGMLType) throws -> (blocks: [UInt8], expected: [Float]) {
        let blocks = try Data(contentsOf: GGUFTestSupport.fixture("quants", "\(type.name).blocks.bin"))
        let floats = try Data(contentsOf: GGUFTestSupport.fixture("quants", "\(type.name).expected.bin"))
        let bytes = [UInt8](floats)
        var expected: [Float] = []
        for i in stride(from: 0, to: bytes.count - 3, by: 4) {
            var bits = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8
            bits |= UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
            expected.append(Float(bitPattern: bits))
        }
        return (Array(blocks), expected)
    }

    @Test(arguments: fixtureTypes)
    func matchesGGUFPyBitForBit(type: GGMLType) throws {
        let (blocks, expected) = try Self.load(type)
        #expect(expected.count == blocks.count / type.typeSize * type.blockSize)
        let actual = try blocks.withUnsafeBytes { raw in
            try dequantizeReference(type: type, from: raw, count: expected.count)
        }
        #expect(actual.count == expected.count)
        var mismatches = 0
        for (i, (a, e)) in zip(actual, expected).enumerated() where a.bitPattern != e.bitPattern {
            // NaN payloads may differ in their quiet bit between converters; any NaN is a match.
            if a.isNaN && e.isNaN { continue }
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(type.name)[\(i)]: got \(a), expected \(e)") }
        }
        #expect(mismatches == 0, "\(type.name): \(mismatches) mismatches")
    }

    /// Q8_0 by hand: d = 0.5 (0x3800), q = -128, -1, 0, 1, 127, then 27 twos.
    @Test func q8_0HandComputed() throws {
        var block: [UInt8] = [0x00, 0x38, 0x80, 0xFF, 0x00, 0x01, 0x7F]
        block += [UInt8](repeating: 2, count: 27)
        let out = try block.withUnsafeBytes { try dequantizeReference(type: .q8_0, from: $0, count: 32) }
        #expect(Array(out.prefix(6)) == [-64, -0.5, 0, 0.5, 63.5, 1])
        #expect(out.suffix(27).allSatisfy { $0 == 1 })
    }

    /// Q4_1 by hand: d = 0.25 (0x3400), m = -1 (0xBC00); byte j = 0xF0 | j, so element j < 16 is
    /// q = j and element j + 16 is q = 15: x = 0.25 * q - 1.
    @Test func q4_1HandComputed() throws {
        let block: [UInt8] = [0x00, 0x34, 0x00, 0xBC] + (0..<16).map { 0xF0 | UInt8($0) }
        let out = try block.withUnsafeBytes { try dequantizeReference(type: .q4_1, from: $0, count: 32) }
        #expect(Array(out.prefix(16)) == (0..<16).map { 0.25 * Float($0) - 1 })
        #expect(out[0] == -1 && out[4] == 0 && out[15] == 2.75)
        #expect(Array(out.suffix(16)) == [Float](repeating: 2.75, count: 16))
    }

    /// Swift's Float16 widening: subnormals, infinities, NaN, signed zero, extremes.
    @Test func halfFloatConversionEdgeCases() throws {
        let halves: [UInt16] = [0x0001, 0x03FF, 0x0400, 0x7BFF, 0x7C00, 0xFC00, 0x8000, 0x7E00, 0x3C00, 0xC000]
        let bytes = halves.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let out = try bytes.withUnsafeBytes { try dequantizeReference(type: .f16, from: $0, count: halves.count) }
        #expect(out[0] == 0x1p-24)
        #expect(out[1] == Float(0x3FF) * 0x1p-24)
        #expect(out[2] == 0x1p-14)
        #expect(out[3] == 65504)
        #expect(out[4] == .infinity && out[5] == -.infinity)
        #expect(out[6].bitPattern == 0x8000_0000)
        #expect(out[7].isNaN)
        #expect(out[8] == 1 && out[9] == -2)
    }

    /// The software fallback (for platforms without Float16) agrees with Float16 on all 65536 bit patterns.
    @Test func softwareHalfConversionMatchesFloat16() {
        var mismatches = 0
        for bits in 0...UInt16.max where halfBitsToFloat(bits).bitPattern != Float(Float16(bitPattern: bits)).bitPattern {
            mismatches += 1
        }
        #expect(mismatches == 0)
        #expect(halfBitsToFloat(0x0001) == 0x1p-24 && halfBitsToFloat(0xFC00) == -.infinity)
    }

    @Test func bf16IsTheHighHalfOfAFloat() throws {
        let bytes: [UInt8] = [0x80, 0x3F, 0x49, 0xC0, 0x80, 0x7F, 0x01, 0x00]
        let out = try bytes.withUnsafeBytes { try dequantizeReference(type: .bf16, from: $0, count: 4) }
        #expect(out[0] == 1 && out[1] == -3.140625 && out[2] == .infinity && out[3] == 0x1p-133)
    }

    @Test func rejectsBadCountsAndShortSources() {
        let bytes = [UInt8](repeating: 0, count: 40)
        bytes.withUnsafeBytes { raw in
            #expect(throws: DequantizeError.countNotMultipleOfBlock(type: .q8_0, count: 31)) {
                _ = try dequantizeReference(type: .q8_0, from: raw, count: 31)
            }
            #expect(throws: DequantizeError.sourceTooSmall(type: .q8_0, count: 64, needed: 68, available: 40)) {
                _ = try dequantizeReference(type: .q8_0, from: raw, count: 64)
            }
            #expect(throws: DequantizeError.unsupportedType(.iq2_xxs)) {
                _ = try dequantizeReference(type: .iq2_xxs, from: raw, count: 256)
            }
            #expect(throws: DequantizeError.countNotMultipleOfBlock(type: .f32, count: -4)) {
                _ = try dequantizeReference(type: .f32, from: raw, count: -4)
            }
        }
    }
}
