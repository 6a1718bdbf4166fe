import Foundation
import Testing
@testable import ModelFormats

/// Reads `python_reference.safetensors`, written by the Python `safetensors` package with
/// float values decoded by numpy / ml_dtypes (scripts/fixtures/st_make_fixtures.py).
struct SafeTensorsReferenceTests {
    let file: SafeTensorsFile

    init() throws {
        file = try SafeTensorsFile(url: SafeTensorsTestSupport.fixture("safetensors", "python_reference.safetensors"))
    }

    /// Every element of `raw` converts to exactly the bits of `reference` (NaN matches NaN).
    private func expectMatchesReference(_ raw: String, count: Int) throws {
        let tensor = try #require(file.tensor(named: raw))
        let expected = try #require(file.tensor(named: raw + ".f32"))
        #expect(expected.dtype == .f32)
        let ours = try file.toFloat(tensor)
        let theirs = try file.toFloat(expected)
        #expect(ours.count == count)
        #expect(theirs.count == count)
        for (i, (a, b)) in zip(ours, theirs).enumerated() {
            let same = a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
            #expect(same, "\(raw)[\(i)]: ours \(a) (\(String(a.bitPattern, radix: 16))), reference \(b)")
        }
    }

    @Test func headerAndMetadata() throws {
        #expect(file.metadata == ["format": "np", "source": "st_make_fixtures.py"])
        #expect(file.tensors.count == 14)
        let offsets = file.tensors.map(\.byteRange.lowerBound)
        #expect(offsets == offsets.sorted())
        #expect(file.tensors.first?.byteRange.lowerBound == 0)
        let e4m3 = try #require(file.tensor(named: "e4m3"))
        #expect(e4m3.dtype == .f8E4M3 && e4m3.shape == [256] && e4m3.numBytes == 256)
        let i8 = try #require(file.tensor(named: "i8"))
        #expect(i8.dtype == .i8 && i8.shape == [2, 4] && i8.numElements == 8)
        #expect(file.tensor(named: "missing") == nil)
    }

    @Test func float8E4M3AllBytes() throws {
        try expectMatchesReference("e4m3", count: 256)
        let values = try file.toFloat(#require(file.tensor(named: "e4m3")))
        #expect(values[0x01] == 0x1p-9)      // smallest subnormal
        #expect(values[0x08] == 0x1p-6)      // smallest normal
        #expect(values[0x38] == 1.0)
        #expect(values[0x7E] == 448.0)       // largest finite
        #expect(values[0xFE] == -448.0)
        #expect(values[0x80].bitPattern == (-Float.zero).bitPattern)
        #expect(values.filter(\.isNaN).count == 2)   // 0x7F and 0xFF only
        #expect(values.allSatisfy { !$0.isInfinite })
    }

    @Test func float8E5M2AllBytes() throws {
        try expectMatchesReference("e5m2", count: 256)
        let values = try file.toFloat(#require(file.tensor(named: "e5m2")))
        #expect(values[0x01] == 0x1p-16)
        #expect(values[0x3C] == 1.0)
        #expect(values[0x7B] == 57344.0)
        #expect(values[0x7C] == .infinity)
        #expect(values[0xFC] == -.infinity)
        #expect(values.filter(\.isNaN).count == 6)
    }

    @Test func halfBFloatAndIntegers() throws {
        try expectMatchesReference("f16", count: 64)
        try expectMatchesReference("bf16", count: 64)
        try expectMatchesReference("i8", count: 8)
        try expectMatchesReference("u8", count: 4)
        let f16 = try file.toFloat(#require(file.tensor(named: "f16")))
        #expect(Array(f16[0..<10]) == [0, -0.0, 0x1p-24, -0x1p-24, 0x3FFp-24, 0x1p-14, 1, -1, 0x1.554p-2, 65504])
        #expect(try file.toFloat(#require(file.tensor(named: "i8"))) == [-128, -1, 0, 1, 2, 63, 100, 127])
        #expect(try file.toFloat(#require(file.tensor(named: "u8"))) == [0, 1, 128, 255])
    }

    @Test func float32Matrix() throws {
        let tensor = try #require(file.tensor(named: "f32"))
        #expect(tensor.shape == [2, 3])
        #expect(try file.toFloat(tensor) == [0.5, -1.25, 3.0, 1e-38, -0.0, 65504.0])
        var buffer = [Float](repeating: 9, count: 8)
        try buffer.withUnsafeMutableBufferPointer { try file.toFloat(tensor, into: $0) }
        #expect(buffer == [0.5, -1.25, 3.0, 1e-38, -0.0, 65504.0, 9, 9])
        var short = [Float](repeating: 0, count: 5)
        #expect(throws: SafeTensorsError.self) {
            try short.withUnsafeMutableBufferPointer { try file.toFloat(tensor, into: $0) }
        }
    }

    @Test func recognisedButNotConvertibleDType() throws {
        let tensor = try #require(file.tensor(named: "i64"))
        #expect(tensor.dtype == .i64 && tensor.numElements == 2)
        let raw = try file.data(for: tensor)
        #expect(raw.count == 16)
        #expect(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: Int64.self)) == 9_007_199_254_740_993)
        #expect(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 0, as: Int64.self)) == -2)
        #expect(throws: SafeTensorsError.self) { try file.toFloat(tensor) }
    }

    @Test func dataViewRejectsForeignTensorInfo() throws {
        let foreign = SafeTensorInfo(name: "f32", dtype: .f32, shape: [1], byteRange: 0..<4)
        #expect(throws: SafeTensorsError.tensorNotFound(file: file.path, tensor: "f32")) {
            try file.data(for: foreign)
        }
    }
}
