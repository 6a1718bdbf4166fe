import Foundation
import Testing
@testable import ModelFormats

struct SafeTensorsWriterTests {
    @Test func roundTripThroughDisk() throws {
        let directory = try SafeTensorsTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tiny.safetensors")
        try SafeTensorsWriter(metadata: ["format": "pt"]).with {
            try $0.add(name: "embed", shape: [2, 2], floats: [1, 2, -3, 0.125])
            try $0.add(name: "norm", dtype: .bf16, shape: [2], bytes: [0x80, 0x3F, 0x00, 0xC0])
            try $0.add(name: "scalar", dtype: .u8, shape: [], bytes: [200])
        }.write(to: url)

        let file = try SafeTensorsFile(url: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors.map(\.name) == ["embed", "norm", "scalar"])
        #expect(file.tensors.map(\.byteRange) == [0..<16, 16..<20, 20..<21])
        #expect(file.tensors[2].shape == [] && file.tensors[2].numElements == 1)
        #expect(try file.toFloat(file.tensors[0]) == [1, 2, -3, 0.125])
        #expect(try file.toFloat(file.tensors[1]) == [1, -2])
        #expect(try file.toFloat(file.tensors[2]) == [200])
    }

    @Test func headerIsPaddedAndEscaped() throws {
        var writer = SafeTensorsWriter(metadata: ["quote\"and\\slash": "line\nbreak\u{1}"])
        try writer.add(name: "w", dtype: .u8, shape: [1], bytes: [7])
        let bytes = writer.serialized()
        let length = bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        #expect(length % 8 == 0)
        #expect(bytes.count == 8 + length + 1)
        let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
        #expect(header.hasPrefix(#"{"__metadata__":{"quote\"and\\slash":"line\nbreak\u0001"},"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#))
        let file = try SafeTensorsFile(bytes: bytes, name: "mem")
        #expect(file.metadata == ["quote\"and\\slash": "line\nbreak\u{1}"])
    }

    @Test func rejectsBadEntries() throws {
        var writer = SafeTensorsWriter()
        try writer.add(name: "w", dtype: .u8, shape: [1], bytes: [1])
        #expect(throws: SafeTensorsError.duplicateTensor(file: "<writer>", tensor: "w", other: "<writer>")) {
            try writer.add(name: "w", dtype: .u8, shape: [1], bytes: [1])
        }
        #expect(throws: SafeTensorsError.shapeMismatch(file: "<writer>", tensor: "v", shape: [2], dtype: "F16", numBytes: 2)) {
            try writer.add(name: "v", dtype: .f16, shape: [2], bytes: [0, 0])
        }
        #expect(throws: SafeTensorsError.self) {
            try writer.add(name: "__metadata__", dtype: .u8, shape: [1], bytes: [0])
        }
    }
}

extension SafeTensorsWriter {
    /// Test convenience: a copy with `build` applied.
    func with(_ build: (inout SafeTensorsWriter) throws -> Void) rethrows -> SafeTensorsWriter {
        var copy = self
        try build(&copy)
        return copy
    }
}
