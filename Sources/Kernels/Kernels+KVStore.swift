import Foundation
import CKernels

extension Kernels {
    /// Writes `count` floats of `source` to `destination` as `dtype` elements (round to nearest
    /// even; the same bits on every instruction set). `destination` holds count * dtype.byteCount bytes.
    public static func storeKV(_ source: UnsafePointer<Float>, count: Int, dtype: KVCacheDType,
                               into destination: UnsafeMutableRawPointer) {
        storeKV(source, count: count, dtype: dtype, into: destination, isa: .current)
    }

    /// `storeKV` on the given instruction set.
    @_spi(Testing)
    public static func storeKV(_ source: UnsafePointer<Float>, count: Int, dtype: KVCacheDType,
                               into destination: UnsafeMutableRawPointer, isa: KernelISA) {
        guard count > 0 else { return }
        sw_kv_store(isa.clamped.cValue, dtype.cValue, source, destination, Int64(count))
    }

    /// Scalar twin of `storeKV`: Swift's Float16(Float) for float16, round-to-nearest-even on the
    /// bits for bfloat16 (NaN quieted), and for FP8 the nearest code by value (`fp8Code`).
    public static func storeKVReference(_ source: UnsafePointer<Float>, count: Int, dtype: KVCacheDType,
                                        into destination: UnsafeMutableRawPointer) {
        switch dtype {
        case .float32:
            destination.copyMemory(from: source, byteCount: count * 4)
        case .float16:
            let d = destination.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { d[i] = Float16(source[i]).bitPattern }
        case .bfloat16:
            let d = destination.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { d[i] = bfloat16Bits(source[i]) }
        case .fp8E4M3, .fp8E5M2:
            let d = destination.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { d[i] = fp8Code(source[i], dtype) }
        }
    }

    /// The value of FP8 code `code` (bit layout sign | exponent | mantissa), from the format's
    /// definition: E4M3 bias 7 with 0x7F NaN and no infinities, E5M2 bias 15 with IEEE specials.
    public static func fp8Value(_ code: UInt8, _ dtype: KVCacheDType) -> Float {
        let e4m3 = dtype == .fp8E4M3
        let mantissaBits = e4m3 ? 3 : 2, bias = e4m3 ? 7 : 15
        let sign: Float = code & 0x80 != 0 ? -1 : 1
        let exponent = Int(code & 0x7F) >> mantissaBits, mantissa = Int(code) & ((1 << mantissaBits) - 1)
        if e4m3 && code & 0x7F == 0x7F { return .nan }
        if !e4m3 && exponent == 31 { return mantissa == 0 ? sign * .infinity : .nan }
        let fraction = Double(mantissa) / Double(1 << mantissaBits)
        let magnitude = exponent == 0 ? fraction * pow(2, Double(1 - bias)) : (1 + fraction) * pow(2, Double(exponent - bias))
        return sign * Float(magnitude)
    }

    /// The FP8 code nearest to `x` by value (ties to the even code), searched over every finite
    /// code; beyond the largest finite value it saturates (E5M2 infinities stay infinite), NaN gives
    /// the format's NaN (E4M3 0x7F, E5M2 0x7E) with x's sign.
    static func fp8Code(_ x: Float, _ dtype: KVCacheDType) -> UInt8 {
        let sign: UInt8 = x.sign == .minus ? 0x80 : 0
        let e4m3 = dtype == .fp8E4M3
        if x.isNaN { return sign | (e4m3 ? 0x7F : 0x7E) }
        if x.isInfinite { return sign | (e4m3 ? 0x7E : 0x7C) }
        let largest: UInt8 = e4m3 ? 0x7E : 0x7B
        if x.magnitude >= fp8Value(largest, dtype) { return sign | largest }  // saturation
        var best: UInt8 = 0
        var bestDistance = Double.infinity
        for code in 0...largest {
            let distance = abs(Double(fp8Value(code, dtype)) - Double(x.magnitude))
            if distance < bestDistance || (distance == bestDistance && code & 1 == 0) {
                best = code
                bestDistance = distance
            }
        }
        return sign | best
    }

    /// Float to bfloat16 bits, round to nearest even; NaN quieted.
    static func bfloat16Bits(_ x: Float) -> UInt16 {
        let u = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: u >> 16) | 0x40 }
        return UInt16(truncatingIfNeeded: (u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16)
    }

    /// Element `index` of a KV array of `dtype`, as Float (exact widening).
    public static func loadKVReference(_ base: UnsafeRawPointer, _ index: Int, dtype: KVCacheDType) -> Float {
        switch dtype {
        case .float32: return base.load(fromByteOffset: index * 4, as: Float.self)
        case .float16: return Float(Float16(bitPattern: base.load(fromByteOffset: index * 2, as: UInt16.self)))
        case .bfloat16:
            return Float(bitPattern: UInt32(base.load(fromByteOffset: index * 2, as: UInt16.self)) << 16)
        case .fp8E4M3, .fp8E5M2:
            return fp8Value(base.load(fromByteOffset: index, as: UInt8.self), dtype)
        }
    }
}
