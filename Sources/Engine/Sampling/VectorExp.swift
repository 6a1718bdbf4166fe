/// exp for the softmax over the whole vocabulary (Cephes' expf: a range reduction by ln 2 and a
/// degree-5 polynomial; relative error about 1e-7). Only arithmetic, selects and bit casts, so
/// a loop over it compiles to vector instructions (glibc's expf does not).
/// Inputs below about -87.7 (and -inf, NaN) give exactly 0; inputs above 88 are clamped.
enum VectorExp {
    @inline(__always) static func exp(_ x: Float) -> Float {
        let low: Float = -104, high: Float = 88
        let clamped = x >= low ? (x > high ? high : x) : low
        // Round to nearest by the 1.5 * 2^23 trick: n sits in the low bits of `shifted`.
        let magic: Float = 12_582_912
        let shifted = clamped * 1.442_695_040_888_963_4 + magic
        let n = shifted - magic
        let r = clamped - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p: Float = 1.987_569_150_0e-4
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let y = p * r * r + r + 1
        let biased = Int32(bitPattern: shifted.bitPattern) &- Int32(bitPattern: magic.bitPattern) &+ 127
        // A biased exponent of 0 or less means underflow: scale 0.
        let exponent = biased > 0 ? biased : 0
        return y * Float(bitPattern: UInt32(bitPattern: exponent &<< 23))
    }
}
