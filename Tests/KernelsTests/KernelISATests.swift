import Testing
@_spi(Testing) import Kernels

/// Instruction-set detection, clamping and the weight-type table.
struct KernelISATests {
    @Test("Detected set is available and scalar always is; clamping never exceeds the CPU")
    func clamping() {
        #expect(KernelISA.available.first == .scalar)
        #expect(KernelISA.detected.isSupported)
        #expect(KernelISA.current.isSupported)
        for isa in KernelISA.allCases {
            #expect(isa.clamped.isSupported, "\(isa)")
            if isa.isSupported { #expect(isa.clamped == isa) }
        }
        #if arch(x86_64)
        #expect(KernelISA.neon.clamped == .scalar)
        #expect(!KernelISA.neon.isSupported)
        #elseif arch(arm64)
        #expect(KernelISA.detected == .neon)
        #endif
    }

    @Test("Block sizes and bytes per block follow ggml-common.h")
    func weightTypeTable() {
        let expected: [WeightType: (Int, Int)] = [
            .f32: (1, 4), .f16: (1, 2), .bf16: (1, 2), .q4_0: (32, 18), .q4_1: (32, 20), .q5_0: (32, 22),
            .q5_1: (32, 24), .q8_0: (32, 34), .q2_K: (256, 84), .q3_K: (256, 110), .q4_K: (256, 144),
            .q5_K: (256, 176), .q6_K: (256, 210), .f8_e4m3_b32: (32, 36), .i8_b32: (32, 36), .u4_b32: (32, 24),
        ]
        for type in WeightType.allCases {
            #expect(type.blockSize == expected[type]?.0 && type.typeSize == expected[type]?.1, "\(type)")
        }
        let w = WeightMatrix(type: .q4_K, rows: 3, cols: 512, data: UnsafeRawPointer(bitPattern: 64)!)
        #expect(w.rowByteCount == 288)
    }
}
