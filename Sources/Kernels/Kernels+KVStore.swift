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
    /// bits for bfloat16 (NaN quieted).
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
        }
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
        }
    }
}
