import Foundation
@_spi(Testing) import Kernels

/// SplitMix64: a small seeded generator so every test input is reproducible.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    mutating func nextSigned() -> Float { Float(next() >> 40) / Float(1 << 23) - 1 }

    mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in nextSigned() * scale }
    }

    /// Bits of a finite half in ±[2^-5, 2^2), random sign and mantissa.
    mutating func halfBits() -> UInt16 {
        let sign = UInt16(next() & 1) << 15
        let exponent = UInt16(10 + next() % 7) << 10
        return sign | exponent | UInt16(next() & 0x3FF)
    }
}

/// Byte offsets of the half-float scale fields of each block type (ggml-common.h).
let halfScaleOffsets: [WeightType: [Int]] = [
    .q4_0: [0], .q4_1: [0, 2], .q5_0: [0], .q5_1: [0, 2], .q8_0: [0],
    .q2_K: [80, 82], .q3_K: [108], .q4_K: [0, 2], .q5_K: [0, 2], .q6_K: [208],
]

/// Random stored weights of `type`: random bytes with finite scales, or random float values.
func randomWeightBytes(_ type: WeightType, rows: Int, cols: Int, rng: inout SeededRandom) -> [UInt8] {
    let count = rows * cols / type.blockSize * type.typeSize
    var bytes = [UInt8](repeating: 0, count: count)
    switch type {
    case .f32:
        for i in 0..<(rows * cols) {
            withUnsafeBytes(of: rng.nextSigned().bitPattern.littleEndian) { bytes.replaceSubrange(4 * i..<4 * i + 4, with: $0) }
        }
    case .f16:
        for i in 0..<(rows * cols) {
            let h = rng.halfBits()
            bytes[2 * i] = UInt8(h & 0xFF); bytes[2 * i + 1] = UInt8(h >> 8)
        }
    case .bf16:
        for i in 0..<(rows * cols) {
            let b = UInt16(truncatingIfNeeded: rng.nextSigned().bitPattern >> 16)
            bytes[2 * i] = UInt8(b & 0xFF); bytes[2 * i + 1] = UInt8(b >> 8)
        }
    case .f8_e4m3_b32:
        // a positive F32 scale in [2^-5, 2^2), then 32 codes that are not NaN (0x7F, 0xFF)
        for block in 0..<(count / 36) {
            let scale = Float(Float16(bitPattern: rng.halfBits() & 0x7FFF))
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { bytes.replaceSubrange(36 * block..<36 * block + 4, with: $0) }
            for i in 0..<32 {
                let code = UInt8(truncatingIfNeeded: rng.next())
                bytes[36 * block + 4 + i] = code & 0x7F == 0x7F ? code ^ 1 : code
            }
        }
    case .i8_b32:
        // a positive F32 scale in [2^-5, 2^2), then 32 codes
        for block in 0..<(count / 36) {
            let scale = Float(Float16(bitPattern: rng.halfBits() & 0x7FFF))
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { bytes.replaceSubrange(36 * block..<36 * block + 4, with: $0) }
            for i in 0..<32 { bytes[36 * block + 4 + i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
    case .u4_b32:
        // a positive F32 scale in [2^-5, 2^2), an integer zero point in 0...15, then 16 bytes of nibbles
        for block in 0..<(count / 24) {
            let scale = Float(Float16(bitPattern: rng.halfBits() & 0x7FFF)), zero = Float(rng.next() % 16)
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { bytes.replaceSubrange(24 * block..<24 * block + 4, with: $0) }
            withUnsafeBytes(of: zero.bitPattern.littleEndian) { bytes.replaceSubrange(24 * block + 4..<24 * block + 8, with: $0) }
            for i in 0..<16 { bytes[24 * block + 8 + i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
    default:
        for i in 0..<count { bytes[i] = UInt8(truncatingIfNeeded: rng.next()) }
        let offsets = halfScaleOffsets[type] ?? []
        for block in 0..<(count / type.typeSize) {
            for offset in offsets {
                let h = rng.halfBits(), at = block * type.typeSize + offset
                bytes[at] = UInt8(h & 0xFF); bytes[at + 1] = UInt8(h >> 8)
            }
        }
    }
    return bytes
}

/// The repository root, from this file's path (Tests/KernelsTests/TestSupport.swift).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Unit roundoff of Float (2^-24).
let floatUnitRoundoff: Double = 0x1p-24

/// Whether SWIFTLET_BENCH=1 enables the benchmarks.
let benchmarksEnabled = ProcessInfo.processInfo.environment["SWIFTLET_BENCH"] == "1"

/// Instruction sets to test: every one this machine can run.
let testedISAs = KernelISA.available
