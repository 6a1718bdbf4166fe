import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A weight matrix rearranged once at load for a matmul kernel that streams it better, in
/// memory this object owns. Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K, u4_b32 and i8_b32 have one: groups of 16 rows interleaved so
/// the rows are the lanes of a vector, multiplied against activations quantized per 32-column
/// block to 16-bit integers with exact integer sums (CKernels q8_packed.h, q4_packed.h). Against
/// F32 activations the outputs differ by about 1/32767 of each block's largest activation; they
/// are the same bits on every instruction set, batch size and tiling. f8_e4m3_b32 has one too,
/// against F32 activations (f8_packed.h): 16-row groups widened in registers.
public final class PackedWeights: @unchecked Sendable {
    /// The kernel layouts.
    public enum Layout: Sendable {
        case q8_0Rows16, q4_0Rows16, q4_1Rows16, q5_0Rows16, q5_1Rows16, q4_KRows16, q5_KRows16, q6_KRows16, u4_b32Rows16, i8_b32Rows16, f8_e4m3Rows16

        /// Whether the kernel of this layout reads the activations quantized to 16-bit integers
        /// (`Kernels.quantizeForPacked`); f8_e4m3Rows16 reads them as F32.
        public var takesQuantizedInput: Bool { self != .f8_e4m3Rows16 }
    }

    public let layout: Layout
    /// Start of the packed bytes (64-byte aligned).
    public let bytes: UnsafeRawPointer
    /// Size of the packed bytes.
    public let byteCount: Int

    init(layout: Layout, byteCount: Int, fill: (UnsafeMutableRawPointer) -> Void) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        fill(buffer)
        self.layout = layout
        self.bytes = UnsafeRawPointer(buffer)
        self.byteCount = byteCount
    }

    deinit { UnsafeMutableRawPointer(mutating: bytes).deallocate() }
}

extension WeightMatrix {
    /// Whether model loading packs matrices: true unless the environment sets
    /// SWIFTLET_PACK_WEIGHTS=0 (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K and Q6_K then stay on the F32-activation kernels,
    /// for comparisons).
    public static let packingEnabled: Bool = {
        guard let raw = getenv("SWIFTLET_PACK_WEIGHTS") else { return true }
        return String(cString: raw) != "0"
    }()

    /// Whether `packedForMatmul()` has a faster layout for this matrix's type.
    public var hasPackedLayout: Bool { packedLayout != nil && cols % 32 == 0 && rows > 0 }

    /// The packed layout of this matrix's type, if it has one.
    var packedLayout: PackedWeights.Layout? {
        switch type {
        case .q8_0: .q8_0Rows16
        case .q4_0: .q4_0Rows16
        case .q4_1: .q4_1Rows16
        case .q5_0: .q5_0Rows16
        case .q5_1: .q5_1Rows16
        case .q4_K: .q4_KRows16
        case .q5_K: .q5_KRows16
        case .q6_K: .q6_KRows16
        case .u4_b32: .u4_b32Rows16
        case .i8_b32: .i8_b32Rows16
        case .f8_e4m3_b32: .f8_e4m3Rows16
        default: nil
        }
    }

    /// This matrix with a packed copy for `Kernels.matmul` (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K: the 16-bit
    /// activation kernels; f8_e4m3_b32 without NaN codes: the FP8 kernel), or itself unchanged when its type has no packed layout or it is
    /// already packed.
    public func packedForMatmul() -> WeightMatrix {
        guard hasPackedLayout, packed == nil, let layout = packedLayout else { return self }
        // a NaN weight has no place in the FP8 layout: such a matrix keeps the unpacked kernels
        if type == .f8_e4m3_b32 && sw_f8_packable(data, Int64(rows), Int64(cols)) == 0 { return self }
        let count = Int(sw_packed_bytes(type.cValue, Int64(rows), Int64(cols)))
        let packed = PackedWeights(layout: layout, byteCount: count) { out in
            sw_pack(type.cValue, data, Int64(rows), Int64(cols), out)
        }
        return WeightMatrix(type: type, rows: rows, cols: cols, data: data, packed: packed, columnOrder: columnOrder, inputScale: inputScale)
    }
}

extension Kernels {
    /// Bytes one token takes once quantized for packed weights (16-bit values, a scale per 32).
    public static func packedActivationByteCount(cols: Int) -> Int { Int(sw_q8_act_bytes(Int64(cols))) }

    /// Quantizes numTokens rows of `cols` activations (a multiple of 32) as the packed kernels
    /// read them: the same bytes on every instruction set.
    @_spi(Testing)
    public static func quantizeForPacked(_ x: UnsafePointer<Float>, numTokens: Int, cols: Int,
                                         into out: UnsafeMutableRawPointer, isa: KernelISA) {
        sw_q8_quantize(isa.clamped.cValue, x, Int64(numTokens), Int64(cols), out)
    }
}
