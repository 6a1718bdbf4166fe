import Foundation
@testable import ModelFormats

/// Paths and helpers shared by the GGUF tests.
enum GGUFTestSupport {
    /// The repo root, from this file's path (Tests/ModelFormatsTests/GGUF/...).
    static func repoRoot(_ filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// A real model under models/, or an error telling how to fetch it.
    static func modelPath(_ name: String, fetchArgument: String) throws -> String {
        let url = repoRoot().appendingPathComponent("models").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw MissingModel(description: "\(url.path) is missing: run `scripts/fetch-model\(fetchArgument)`")
        }
        return url.path
    }

    struct MissingModel: Error, CustomStringConvertible { let description: String }

    /// A fixture file's URL.
    static func fixture(_ components: String...) throws -> URL {
        guard var url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw MissingModel(description: "Fixtures folder missing from the test bundle")
        }
        for component in components { url.appendPathComponent(component) }
        return url
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8], name: String = "test.gguf") throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-gguf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Deterministic bytes (xorshift) for tensor data and fuzzing.
    struct SeededRandom: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    /// Random blocks of `type` whose half-float scales are small finite values (0x2C00 = 1/16),
    /// so every dequantized value is finite.
    static func blocks(_ type: GGMLType, numElements: Int, seed: UInt64) -> [UInt8] {
        var bytes = randomBytes(type.byteCount(numElements: numElements) ?? 0, seed: seed)
        let halfOffsets: [Int]
        switch type {
        case .q4_0, .q5_0, .q8_0: halfOffsets = [0]
        case .q4_1, .q5_1, .q4_K, .q5_K: halfOffsets = [0, 2]
        case .q2_K: halfOffsets = [80, 82]
        case .q3_K: halfOffsets = [108]
        case .q6_K: halfOffsets = [208]
        case .f16, .bf16: return (0..<numElements).flatMap { i in [UInt8(i % 251), 0x3C] }
        case .f32: return (0..<numElements).flatMap { i in withUnsafeBytes(of: Float(i).bitPattern) { Array($0) } }
        default: halfOffsets = []
        }
        for block in stride(from: 0, to: bytes.count, by: type.typeSize) {
            for offset in halfOffsets {
                bytes[block + offset] = 0x00
                bytes[block + offset + 1] = 0x2C
            }
        }
        return bytes
    }

    /// Metadata with every value type, arrays of each typed kind, and a nested array.
    static let everyTypeMetadata: [(String, GGUFValue)] = [
        ("general.architecture", .string("llama")),
        ("t.u8", .uint8(255)), ("t.i8", .int8(-128)), ("t.u16", .uint16(65535)),
        ("t.i16", .int16(-32768)), ("t.u32", .uint32(4_294_967_295)), ("t.i32", .int32(-2_147_483_648)),
        ("t.f32", .float32(-1.25)), ("t.bool", .bool(true)), ("t.false", .bool(false)),
        ("t.str", .string("héllo ✓")), ("t.empty", .string("")),
        ("t.u64", .uint64(UInt64.max)), ("t.i64", .int64(Int64.min)), ("t.f64", .float64(0.1)),
        ("t.strings", .array(.strings(["a", "", "<0x0A>", "▁the"]))),
        ("t.int32s", .array(.int32s([0, -1, Int32.max]))),
        ("t.uint32s", .array(.uint32s([1, UInt32.max]))),
        ("t.float32s", .array(.float32s([0.5, -0.0, .infinity]))),
        ("t.bools", .array(.values([.bool(true), .bool(false)]))),
        ("t.u64s", .array(.values([.uint64(1), .uint64(2)]))),
        ("t.nested", .array(.values([.array(.int32s([1, 2])), .array(.strings(["x"]))]))),
    ]

    /// A small valid file: every metadata type and tensors of several types.
    static func sampleWriter(alignment: Int = 32) throws -> GGUFWriter {
        var writer = try GGUFWriter(alignment: alignment)
        for (key, value) in everyTypeMetadata { try writer.addMetadata(key, value) }
        let specs: [(String, GGMLType, [Int])] = [
            ("norm", .f32, [8]), ("emb", .q8_0, [64, 3]), ("q41", .q4_1, [32, 2]),
            ("k4", .q4_K, [256]), ("half", .f16, [4, 2, 1]), ("q6", .q6_K, [256, 1, 1, 1]),
        ]
        for (i, (name, type, shape)) in specs.enumerated() {
            let count = shape.reduce(1, *)
            try writer.addTensor(name: name, type: type, shape: shape,
                                 data: blocks(type, numElements: count, seed: UInt64(i + 1)))
        }
        return writer
    }
}
