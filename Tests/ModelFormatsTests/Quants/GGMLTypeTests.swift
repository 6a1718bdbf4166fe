import Testing
@testable import ModelFormats

@Suite struct GGMLTypeTests {
    /// Ids, block sizes and block bytes from ggml.h / ggml-common.h (and gguf-py's table).
    @Test func idsAndSizesMatchGGML() {
        let table: [(GGMLType, UInt32, Int, Int, String)] = [
            (.f32, 0, 1, 4, "F32"), (.f16, 1, 1, 2, "F16"), (.q4_0, 2, 32, 18, "Q4_0"),
            (.q4_1, 3, 32, 20, "Q4_1"), (.q5_0, 6, 32, 22, "Q5_0"), (.q5_1, 7, 32, 24, "Q5_1"),
            (.q8_0, 8, 32, 34, "Q8_0"), (.q8_1, 9, 32, 36, "Q8_1"), (.q2_K, 10, 256, 84, "Q2_K"),
            (.q3_K, 11, 256, 110, "Q3_K"), (.q4_K, 12, 256, 144, "Q4_K"), (.q5_K, 13, 256, 176, "Q5_K"),
            (.q6_K, 14, 256, 210, "Q6_K"), (.q8_K, 15, 256, 292, "Q8_K"), (.iq2_xxs, 16, 256, 66, "IQ2_XXS"),
            (.iq4_nl, 20, 32, 18, "IQ4_NL"), (.i8, 24, 1, 1, "I8"), (.i32, 26, 1, 4, "I32"),
            (.f64, 28, 1, 8, "F64"), (.iq1_m, 29, 256, 56, "IQ1_M"), (.bf16, 30, 1, 2, "BF16"),
            (.tq1_0, 34, 256, 54, "TQ1_0"), (.tq2_0, 35, 256, 66, "TQ2_0"), (.mxfp4, 39, 32, 17, "MXFP4"),
        ]
        for (type, id, blockSize, typeSize, name) in table {
            #expect(type.rawValue == id && type.blockSize == blockSize && type.typeSize == typeSize
                    && type.name == name, "\(name)")
        }
        #expect(GGMLType(rawValue: 4) == nil && GGMLType(rawValue: 31) == nil && GGMLType(rawValue: 40) == nil)
        #expect(GGMLType.allCases.filter(\.isSupported).count == 14)
        #expect(!GGMLType.q8_1.isSupported && GGMLType.q6_K.isSupported)
    }

    @Test func byteCountChecksBlocksAndOverflow() {
        #expect(GGMLType.q4_K.byteCount(numElements: 512) == 288)
        #expect(GGMLType.q4_K.byteCount(numElements: 100) == nil)
        #expect(GGMLType.f64.byteCount(numElements: Int.max / 4) == nil)
        #expect(GGMLType.f32.byteCount(numElements: -1) == nil)
    }
}
