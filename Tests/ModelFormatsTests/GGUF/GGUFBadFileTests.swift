import Testing
@testable import ModelFormats

/// Each GGUFError on a crafted file, with the exact offsets and values it reports.
@Suite struct GGUFBadFileTests {
    typealias Raw = GGUFRawBuilder

    @Test func headerErrors() throws {
        try expectGGUFError([]) { .truncated(path: $0, offset: 0, reading: "magic") }
        try expectGGUFError(Array("GGML".utf8) + Raw.le32(3)) { .wrongMagic(path: $0, found: [0x47, 0x47, 0x4D, 0x4C]) }
        for version: UInt32 in [1, 4, 0x0300_0000] {
            try expectGGUFError(Raw(version: version, numTensors: 0, numKV: 0).bytes) {
                .unsupportedVersion(path: $0, version: version)
            }
        }
        try expectGGUFError(Array("GGUF".utf8) + Raw.le32(3)) { .truncated(path: $0, offset: 8, reading: "tensor count") }
        try expectGGUFError(Array(Raw(numTensors: 0, numKV: 0).bytes.prefix(20))) {
            .truncated(path: $0, offset: 16, reading: "metadata key-value count")
        }
        try expectGGUFError(Raw(numTensors: 0, numKV: UInt64.max).bytes) {
            .absurdCount(path: $0, offset: 16, what: "metadata key-value count", count: UInt64.max, remainingBytes: 0)
        }
        try expectGGUFError(Raw(numTensors: 1 << 63, numKV: 0).bytes) {
            .absurdCount(path: $0, offset: 8, what: "tensor count", count: 1 << 63, remainingBytes: 0)
        }
        do {
            _ = try GGUFFile(path: "/nonexistent.gguf")
            Issue.record("opened a missing file")
        } catch let GGUFError.cannotOpen(path, reason) {
            #expect(path == "/nonexistent.gguf")
            #expect(reason.contains("No such file or directory"), "\(reason)")
        }
    }

    @Test func metadataErrors() throws {
        var raw = Raw(numTensors: 0, numKV: 1)
        raw.keyValue("k", typeID: 8, payload: Raw.le64(UInt64.max))
        try expectGGUFError(raw.bytes) {
            .absurdCount(path: $0, offset: 37, what: "length of string value of 'k'", count: UInt64.max, remainingBytes: 0)
        }
        raw = Raw(numTensors: 0, numKV: 1)
        raw.keyValue("arr", typeID: 9, payload: Raw.le32(10) + Raw.le64(1 << 40) + [UInt8](repeating: 0, count: 16))
        try expectGGUFError(raw.bytes) {
            .absurdCount(path: $0, offset: 43, what: "array count of 'arr'", count: 1 << 40, remainingBytes: 16)
        }
        raw = Raw(numTensors: 0, numKV: 1)
        raw.keyValue("k", typeID: 13, payload: [0])
        try expectGGUFError(raw.bytes) { .unknownValueType(path: $0, offset: 33, key: "k", typeID: 13) }
        raw = Raw(numTensors: 0, numKV: 1)
        raw.keyValue("k", typeID: 7, payload: [2])
        try expectGGUFError(raw.bytes) { .invalidBool(path: $0, offset: 37, key: "k", byte: 2) }
        raw = Raw(numTensors: 0, numKV: 1)
        raw.keyValue("k", typeID: 4, payload: [1, 2])
        try expectGGUFError(raw.bytes) { .truncated(path: $0, offset: 37, reading: "u32 value of 'k'") }
        raw = Raw(numTensors: 0, numKV: 2)
        raw.keyValue("k", .uint8(1))
        raw.keyValue("k", .uint8(2))
        try expectGGUFError(raw.bytes) { .duplicateKey(path: $0, key: "k") }
        // Ten levels of arrays, each holding one array.
        raw = Raw(numTensors: 0, numKV: 1)
        let nested = (0..<10).flatMap { _ in Raw.le32(9) + Raw.le64(1) } + Raw.le32(0) + Raw.le64(0)
        raw.keyValue("deep", typeID: 9, payload: nested)
        try expectGGUFError(raw.bytes) { .nestingTooDeep(path: $0, key: "deep", maxDepth: 8) }
    }

    @Test func alignmentErrors() throws {
        let bad: [(GGUFValue, String)] = [
            (.uint32(0), "uint32(0)"), (.uint32(48), "uint32(48)"), (.int32(-32), "int32(-32)"),
            (.string("32"), "string(\"32\")"),
        ]
        for (value, text) in bad {
            var raw = Raw(numTensors: 0, numKV: 1)
            raw.keyValue("general.alignment", value)
            try expectGGUFError(raw.bytes) { .badAlignment(path: $0, value: text) }
        }
    }

    @Test func tensorInfoErrors() throws {
        func oneTensor(dims: [UInt64], typeID: UInt32 = 0, offset: UInt64 = 0, data: Int = 64) -> [UInt8] {
            var raw = Raw(numTensors: 1, numKV: 0)
            raw.tensor("w", dims: dims, typeID: typeID, offset: offset)
            raw.data(data)
            return raw.bytes
        }
        try expectGGUFError(oneTensor(dims: [4], typeID: 4)) { .unknownTensorType(path: $0, tensor: "w", typeID: 4) }
        try expectGGUFError(oneTensor(dims: [1, 1, 1, 1, 1])) { .tooManyDims(path: $0, tensor: "w", numDims: 5) }
        try expectGGUFError(oneTensor(dims: [4, 0])) { .invalidDimension(path: $0, tensor: "w", index: 1, value: 0) }
        try expectGGUFError(oneTensor(dims: [1 << 63])) { .invalidDimension(path: $0, tensor: "w", index: 0, value: 1 << 63) }
        try expectGGUFError(oneTensor(dims: [1 << 32, 1 << 32])) { .elementCountOverflow(path: $0, tensor: "w") }
        try expectGGUFError(oneTensor(dims: [1 << 62], typeID: 28)) { .elementCountOverflow(path: $0, tensor: "w") }
        try expectGGUFError(oneTensor(dims: [16, 2], typeID: 8)) {
            .rowNotMultipleOfBlock(path: $0, tensor: "w", type: .q8_0, ne0: 16)
        }
        try expectGGUFError(oneTensor(dims: [4], offset: 16)) {
            .misalignedTensor(path: $0, tensor: "w", offset: 16, alignment: 32)
        }
        // Data section starts at 64 (24 header + 33 info, padded); 64 data bytes.
        try expectGGUFError(oneTensor(dims: [17])) {
            .tensorOutOfBounds(path: $0, tensor: "w", offset: 0, byteCount: 68, dataOffset: 64, fileSize: 128)
        }
        try expectGGUFError(oneTensor(dims: [4], offset: 96)) {
            .tensorOutOfBounds(path: $0, tensor: "w", offset: 96, byteCount: 16, dataOffset: 64, fileSize: 128)
        }
        try expectGGUFError(oneTensor(dims: [4], offset: UInt64.max - 31)) {
            .tensorOutOfBounds(path: $0, tensor: "w", offset: UInt64.max - 31, byteCount: 16, dataOffset: 64, fileSize: 128)
        }
        try expectGGUFError(Array(oneTensor(dims: [4]).prefix(50))) {
            .truncated(path: $0, offset: 49, reading: "offset of tensor 'w'")
        }
        try expectGGUFError(Array(oneTensor(dims: [4]).prefix(40))) {
            .absurdCount(path: $0, offset: 8, what: "tensor count", count: 1, remainingBytes: 16)
        }
    }

    @Test func tensorSetErrors() throws {
        var raw = Raw(numTensors: 2, numKV: 0)
        raw.tensor("a", dims: [16], typeID: 0, offset: 0)
        raw.tensor("b", dims: [4], typeID: 0, offset: 32)
        raw.data(96)
        try expectGGUFError(raw.bytes) { .overlappingTensors(path: $0, first: "a", second: "b") }
        raw = Raw(numTensors: 2, numKV: 0)
        raw.tensor("a", dims: [4], typeID: 0, offset: 0)
        raw.tensor("a", dims: [4], typeID: 0, offset: 32)
        raw.data(64)
        try expectGGUFError(raw.bytes) { .duplicateTensorName(path: $0, name: "a") }
    }

    /// Accepted oddities: a 0-dimension (scalar) tensor, lossy UTF-8, tensors out of offset order.
    @Test func acceptedEdgeCases() throws {
        var raw = Raw(numTensors: 2, numKV: 1)
        raw.encoder.append(UInt64(3))
        raw.encoder.bytes.append(contentsOf: [0x61, 0xFF, 0x62])  // "a", invalid byte, "b"
        raw.encoder.append(UInt32(0))
        raw.encoder.append(UInt8(7))
        raw.tensor("late", dims: [4], typeID: 0, offset: 32)
        raw.tensor("scalar", dims: [], typeID: 0, offset: 0)
        let dataOffset = raw.data(48)
        let file = try GGUFFile(path: try GGUFTestSupport.temporaryFile(raw.bytes))
        #expect(file.metadataKeys == ["a\u{FFFD}b"] && file.metadata["a\u{FFFD}b"] == .uint8(7))
        #expect(file.dataOffset == dataOffset)
        let scalar = try #require(file.tensor(named: "scalar"))
        #expect(scalar.shape == [] && scalar.numElements == 1 && scalar.byteCount == 4)
        #expect(file.data(for: scalar).count == 4)
        let forged = GGUFTensorInfo(name: "x", shape: [4], type: .f32, offset: 1 << 40, byteCount: 16, numElements: 4)
        #expect(file.data(for: forged).isEmpty)
    }
}
