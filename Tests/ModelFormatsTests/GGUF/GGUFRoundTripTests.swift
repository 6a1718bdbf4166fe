import Foundation
import Testing
@testable import ModelFormats

@Suite struct GGUFRoundTripTests {
    @Test func writtenFileReadsBackIdentically() throws {
        let writer = try GGUFTestSupport.sampleWriter()
        let path = try GGUFTestSupport.temporaryFile(writer.serialized())
        let file = try GGUFFile(path: path)
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.metadataKeys == GGUFTestSupport.everyTypeMetadata.map(\.0))
        for (key, value) in GGUFTestSupport.everyTypeMetadata {
            #expect(file.metadata[key] == value, "key \(key)")
        }
        #expect(file.tensors.map(\.name) == ["norm", "emb", "q41", "k4", "half", "q6"])
        #expect(file.tensors.map(\.type) == [.f32, .q8_0, .q4_1, .q4_K, .f16, .q6_K])
        #expect(file.tensors.map(\.byteCount) == [32, 204, 40, 144, 16, 210])
        #expect(file.tensors.map(\.offset) == [0, 32, 256, 320, 480, 512])
        #expect(file.dataOffset % 32 == 0)
        #expect(file.fileSize == file.dataOffset + 736)
        for tensor in writer.tensors {
            let info = try #require(file.tensor(named: tensor.name))
            #expect(info.shape == tensor.shape)
            #expect(Array(file.data(for: info)) == tensor.data)
        }
        #expect(file.tensor(named: "missing") == nil)
        let emb = try #require(file.tensor(named: "emb"))
        #expect(emb.numElements == 192 && emb.numRows == 3 && emb.rowByteCount == 68)
    }

    @Test func customAlignmentIsWrittenAndHonoured() throws {
        let writer = try GGUFTestSupport.sampleWriter(alignment: 64)
        let file = try GGUFFile(path: try GGUFTestSupport.temporaryFile(writer.serialized()))
        #expect(file.alignment == 64)
        #expect(file.metadata["general.alignment"] == .uint32(64))
        #expect(file.tensors.map(\.offset) == [0, 64, 320, 384, 576, 640])
        #expect(file.dataOffset % 64 == 0)
    }

    @Test func writeToPathMatchesSerialized() throws {
        let writer = try GGUFTestSupport.sampleWriter()
        let path = try GGUFTestSupport.temporaryFile([])
        try writer.write(to: path)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == writer.serialized())
    }

    @Test func writerRejectsBadInput() throws {
        var writer = try GGUFWriter()
        try writer.addMetadata("a", .uint8(1))
        #expect(throws: GGUFWriterError.duplicateKey("a")) { try writer.addMetadata("a", .uint8(2)) }
        #expect(throws: GGUFWriterError.mixedArray(key: "m")) {
            try writer.addMetadata("m", .array(.values([.uint8(1), .int8(1)])))
        }
        #expect(throws: GGUFWriterError.sizeMismatch(tensor: "t", expected: 34, actual: 33)) {
            try writer.addTensor(name: "t", type: .q8_0, shape: [32], data: [UInt8](repeating: 0, count: 33))
        }
        #expect(throws: GGUFWriterError.badShape(tensor: "t", shape: [16], type: .q8_0)) {
            try writer.addTensor(name: "t", type: .q8_0, shape: [16], data: [])
        }
        #expect(throws: GGUFWriterError.badAlignment(48)) { _ = try GGUFWriter(alignment: 48) }
    }

    /// A file written by gguf-py's GGUFWriter (scripts/fixtures/gguf_file_fixture.py).
    @Test func readsFileWrittenByPythonGGUF() throws {
        let url = try GGUFTestSupport.fixture("gguf", "python_written.gguf")
        let file = try GGUFFile(path: url.path)
        #expect(file.version == 3)
        #expect(file.metadataKeys.count == 17)
        #expect(file.metadata["general.architecture"] == .string("llama"))
        #expect(file.metadata["t.u8"] == .uint8(200))
        #expect(file.metadata["t.i8"] == .int8(-100))
        #expect(file.metadata["t.u16"] == .uint16(60000))
        #expect(file.metadata["t.i16"] == .int16(-30000))
        #expect(file.metadata["t.u32"] == .uint32(4_000_000_000))
        #expect(file.metadata["t.i32"] == .int32(-2_000_000_000))
        #expect(file.metadata["t.f32"] == .float32(1.5))
        #expect(file.metadata["t.bool"] == .bool(true))
        #expect(file.metadata["t.str"] == .string("héllo ✓"))
        #expect(file.metadata["t.u64"] == .uint64(UInt64.max))
        #expect(file.metadata["t.i64"] == .int64(Int64.min))
        #expect(file.metadata["t.f64"] == .float64(-0.1))
        #expect(file.metadata["t.strs"] == .array(.strings(["a", "", "bc"])))
        #expect(file.metadata["t.i32s"] == .array(.int32s([1, -2, 3])))
        #expect(file.metadata["t.f32s"] == .array(.float32s([0.5, -0.25])))
        #expect(file.metadata["t.nested"] == .array(.values([.array(.int32s([1, 2])), .array(.int32s([3]))])))
        #expect(file.tensors.map(\.name) == ["f32", "f16", "q8"])
        #expect(file.tensors.map(\.shape) == [[3, 2], [4], [64, 2]])
        #expect(file.tensors.map(\.type) == [.f32, .f16, .q8_0])
        #expect(file.dataOffset + file.tensors[2].offset == 736)
        let f32 = try dequantizeReference(type: .f32, from: file.data(for: file.tensors[0]), count: 6)
        #expect(f32 == [0, 1, 2, 3, 4, 5])
        let f16 = try dequantizeReference(type: .f16, from: file.data(for: file.tensors[1]), count: 4)
        #expect(f16 == [1, -2, 0.5, 65504])
        #expect(Array(file.data(for: file.tensors[2]).prefix(4)) == [19, 37, 0, 15])
    }

    @Test func mappedFileHandlesEmptyAndMissingFiles() throws {
        let empty = try MappedFile(path: try GGUFTestSupport.temporaryFile([]))
        #expect(empty.count == 0 && empty.bytes.isEmpty)
        let data = try MappedFile(path: try GGUFTestSupport.temporaryFile([1, 2, 3]))
        #expect(Array(data.bytes) == [1, 2, 3])
        #expect(throws: MappedFileError.self) { _ = try MappedFile(path: "/nonexistent/x.gguf") }
        #expect(throws: MappedFileError.notARegularFile(path: "/tmp")) { _ = try MappedFile(path: "/tmp") }
    }
}
