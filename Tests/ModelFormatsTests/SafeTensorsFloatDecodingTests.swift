import Testing
@testable import ModelFormats

struct SafeTensorsFloatDecodingTests {
    #if !(os(macOS) && arch(x86_64))
    /// All 65536 half encodings against Swift's own Float16 conversion (NaN matches NaN).
    @Test func halfMatchesSwiftFloat16Exhaustively() {
        var mismatches = 0
        for bits in 0...UInt16.max {
            let ours = FloatDecoding.float(fromHalfBits: bits)
            let theirs = Float(Float16(bitPattern: bits))
            if ours.isNaN ? !theirs.isNaN : ours.bitPattern != theirs.bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }
    #endif

    @Test func bulkConversionMatchesScalarDecoders() throws {
        let file = try SafeTensorsFile(bytes: SafeTensorsTestSupport.sampleFile(), name: "sample")
        #expect(file.dataSectionOffset % 8 == 0)
        #expect(try file.toFloat(#require(file.tensor(named: "b.f16"))) == [1, -2, .infinity])
        #expect(try file.toFloat(#require(file.tensor(named: "c.bf16"))) == [1, 3.140625])
        #expect(try file.toFloat(#require(file.tensor(named: "d.i8"))) == [-128, -1, 0, 127])
        let e4m3 = try file.toFloat(#require(file.tensor(named: "f.e4m3")))
        #expect(e4m3[0] == 1 && e4m3[1].isNaN && e4m3[2] == 0x1p-9)
        let e5m2 = try file.toFloat(#require(file.tensor(named: "g.e5m2")))
        #expect(e5m2 == [1, .infinity, 0x1p-16])
        #expect(try file.toFloat(#require(file.tensor(named: "h.empty"))) == [])
    }
}
