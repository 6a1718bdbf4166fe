import Foundation
import Testing
@testable import ModelFormats

/// Each kind of malformed file yields its own typed error naming the file.
struct SafeTensorsValidationTests {
    private func open(_ bytes: [UInt8]) throws -> SafeTensorsFile {
        try SafeTensorsFile(bytes: bytes, name: "bad.safetensors")
    }

    private func open(header: String, dataSize: Int) throws -> SafeTensorsFile {
        try open(SafeTensorsTestSupport.file(header: header, dataSize: dataSize))
    }

    @Test func truncatedBeforeHeaderLength() {
        #expect(throws: SafeTensorsError.truncated(file: "bad.safetensors", needed: 8, available: 5)) {
            try open([1, 0, 0, 0, 0])
        }
    }

    @Test func truncatedHeader() {
        var bytes: [UInt8] = [16, 0, 0, 0, 0, 0, 0, 0]
        bytes += Array("{}".utf8)
        #expect(throws: SafeTensorsError.truncated(file: "bad.safetensors", needed: 24, available: 10)) {
            try open(bytes)
        }
    }

    @Test func headerLengthZeroOrHuge() {
        #expect(throws: SafeTensorsError.headerTooLarge(file: "bad.safetensors", length: 0, maxLength: 100_000_000)) {
            try open([0, 0, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D])
        }
        #expect(throws: SafeTensorsError.headerTooLarge(file: "bad.safetensors", length: UInt64.max, maxLength: 100_000_000)) {
            try open([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7B, 0x7D])
        }
    }

    @Test func emptyHeaderObjectIsValid() throws {
        let file = try open(header: "{}", dataSize: 0)
        #expect(file.tensors.isEmpty && file.metadata.isEmpty)
    }

    @Test(arguments: [
        "[1, 2]",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}",
        "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4, 8]}}",
        "{\"__metadata__\": {\"k\": 1}}",
        "{\"a\": {\"dtype\": 7, \"shape\": [1], \"data_offsets\": [0, 4]}}",
    ])
    func malformedJSON(header: String) {
        #expect {
            try open(header: header, dataSize: 4)
        } throws: { error in
            guard case .invalidHeader(let file, _) = error as? SafeTensorsError else { return false }
            return file == "bad.safetensors"
        }
    }

    @Test func unknownDType() {
        #expect(throws: SafeTensorsError.unknownDType(file: "bad.safetensors", tensor: "a", dtype: "F12")) {
            try open(header: #"{"a":{"dtype":"F12","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 4)
        }
    }

    @Test func shapeSizeMismatch() {
        #expect(throws: SafeTensorsError.shapeMismatch(file: "bad.safetensors", tensor: "a", shape: [3], dtype: "F32", numBytes: 8)) {
            try open(header: #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataSize: 8)
        }
        #expect(throws: SafeTensorsError.shapeMismatch(file: "bad.safetensors", tensor: "a", shape: [-2, -2], dtype: "U8", numBytes: 4)) {
            try open(header: #"{"a":{"dtype":"U8","shape":[-2,-2],"data_offsets":[0,4]}}"#, dataSize: 4)
        }
        // element count overflows Int
        let huge = #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,0]}}"#
        #expect(throws: SafeTensorsError.shapeMismatch(file: "bad.safetensors", tensor: "a", shape: [4_611_686_018_427_387_904, 4], dtype: "F32", numBytes: 0)) {
            try open(header: huge, dataSize: 0)
        }
    }

    @Test func offsetsOutOfRange() {
        #expect(throws: SafeTensorsError.offsetsOutOfRange(file: "bad.safetensors", tensor: "a", begin: 0, end: 8, dataSize: 4)) {
            try open(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, dataSize: 4)
        }
        #expect(throws: SafeTensorsError.offsetsOutOfRange(file: "bad.safetensors", tensor: "a", begin: 4, end: 0, dataSize: 4)) {
            try open(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, dataSize: 4)
        }
    }

    @Test func overlappingTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(throws: SafeTensorsError.overlapping(file: "bad.safetensors", tensor: "a", other: "b")) {
            try open(header: header, dataSize: 8)
        }
        // a duplicate JSON key cannot alias data either: the survivor leaves a hole
        let duplicate = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(throws: SafeTensorsError.self) { try open(header: duplicate, dataSize: 8) }
    }

    @Test func holesAreRejected() {
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        #expect(throws: SafeTensorsError.hole(file: "bad.safetensors", offset: 4, nextTensor: "b")) {
            try open(header: gap, dataSize: 12)
        }
        #expect(throws: SafeTensorsError.hole(file: "bad.safetensors", offset: 4, nextTensor: nil)) {
            try open(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataSize: 6)
        }
    }

    @Test func headerMustStartWithBrace() {
        #expect(throws: SafeTensorsError.invalidHeader(file: "bad.safetensors", reason: "does not start with '{'")) {
            try open(header: #"  {"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, dataSize: 1)
        }
    }

    @Test func errorMessagesNameFileAndProblem() {
        let error = SafeTensorsError.unknownDType(file: "x.safetensors", tensor: "w", dtype: "Q4")
        #expect(error.description.hasPrefix("x.safetensors: tensor 'w' has unknown dtype 'Q4' (known: BOOL, U8, I8"))
        let missing = SafeTensorsError.tensorMissingFromShard(index: "idx.json", tensor: "w", shard: "s1")
        #expect(missing.description == "idx.json: weight_map puts 'w' in 's1', which does not contain it")
    }

    @Test func missingFileIsIOError() {
        #expect {
            try SafeTensorsFile(path: "/nonexistent/dir/model.safetensors")
        } throws: { error in
            guard case .io(let file, _) = error as? SafeTensorsError else { return false }
            return file == "/nonexistent/dir/model.safetensors"
        }
    }
}
