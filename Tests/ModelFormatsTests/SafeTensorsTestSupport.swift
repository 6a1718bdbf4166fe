import Foundation
@testable import ModelFormats

/// Fixture locations and small builders shared by the SafeTensors* tests.
enum SafeTensorsTestSupport {
    static func fixture(_ components: String...) throws -> URL {
        guard var url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw SafeTensorsError.io(file: "Fixtures", reason: "test resource bundle has no Fixtures folder")
        }
        for component in components { url.appendPathComponent(component) }
        return url
    }

    /// A fresh empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftlet-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file with a hand-written JSON header (padded with spaces to 8 bytes) and `dataSize` data bytes 0, 1, 2...
    static func file(header: String, dataSize: Int) -> [UInt8] {
        var json = Array(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out += json
        out += (0..<dataSize).map { UInt8(truncatingIfNeeded: $0) }
        return out
    }

    /// Float32 values as little-endian bytes.
    static func bytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }
    }

    /// A small valid file with one tensor of each convertible dtype.
    static func sampleFile() throws -> [UInt8] {
        var writer = SafeTensorsWriter(metadata: ["format": "pt", "note": "fuzz seed"])
        try writer.add(name: "a.f32", shape: [2, 3], floats: [1, -2, 0.5, 3.25, -0.0, 7])
        try writer.add(name: "b.f16", dtype: .f16, shape: [3], bytes: [0x00, 0x3C, 0x00, 0xC0, 0x00, 0x7C])
        try writer.add(name: "c.bf16", dtype: .bf16, shape: [2], bytes: [0x80, 0x3F, 0x49, 0x40])
        try writer.add(name: "d.i8", dtype: .i8, shape: [4], bytes: [0x80, 0xFF, 0x00, 0x7F])
        try writer.add(name: "e.u8", dtype: .u8, shape: [2, 2], bytes: [0, 1, 128, 255])
        try writer.add(name: "f.e4m3", dtype: .f8E4M3, shape: [3], bytes: [0x38, 0x7F, 0x01])
        try writer.add(name: "g.e5m2", dtype: .f8E5M2, shape: [3], bytes: [0x3C, 0x7C, 0x01])
        try writer.add(name: "h.empty", dtype: .f32, shape: [0, 4], bytes: [])
        return writer.serialized()
    }
}
