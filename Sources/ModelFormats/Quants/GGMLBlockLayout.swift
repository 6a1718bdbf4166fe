/// Byte layouts of GGML quantized blocks (ggml-common.h). Every block is little-endian and
/// packed; offsets are in bytes from the block start. `d`/`dmin`/`m` are IEEE half floats
/// except in Q8_K, whose `d` is a 32-bit float.
public enum GGMLBlockLayout {
    /// Elements per block of the legacy types (Q4_0 ... Q8_1).
    public static let qk = 32
    /// Elements per super-block of the K-quants.
    public static let qkK = 256
    /// Bytes of packed 6-bit scales and mins in Q3_K, Q4_K and Q5_K.
    public static let kScaleSize = 12

    /// `d: f16, qs: [16] u8` (low nibbles: elements 0..<16, high nibbles: 16..<32).
    public enum Q4_0 {
        public static let d = 0, qs = 2, size = 18
    }
    /// `d: f16, m: f16, qs: [16] u8`; x = d * q + m.
    public enum Q4_1 {
        public static let d = 0, m = 2, qs = 4, size = 20
    }
    /// `d: f16, qh: u32 (bit j = 5th bit of element j), qs: [16] u8`; x = d * (q - 16).
    public enum Q5_0 {
        public static let d = 0, qh = 2, qs = 6, size = 22
    }
    /// `d: f16, m: f16, qh: u32, qs: [16] u8`; x = d * q + m.
    public enum Q5_1 {
        public static let d = 0, m = 2, qh = 4, qs = 8, size = 24
    }
    /// `d: f16, qs: [32] i8`; x = d * q.
    public enum Q8_0 {
        public static let d = 0, qs = 2, size = 34
    }
    /// `d: f16, s: f16 (d * sum(qs)), qs: [32] i8` (an activation format; not dequantized here).
    public enum Q8_1 {
        public static let d = 0, s = 2, qs = 4, size = 36
    }
    /// `scales: [16] u8 (low nibble scale, high nibble min), qs: [64] u8 (2 bits each),
    /// d: f16, dmin: f16`.
    public enum Q2_K {
        public static let scales = 0, qs = 16, d = 80, dmin = 82, size = 84
    }
    /// `hmask: [32] u8 (high bit), qs: [64] u8 (low 2 bits), scales: [12] u8 (16 packed
    /// 6-bit scales), d: f16`.
    public enum Q3_K {
        public static let hmask = 0, qs = 32, scales = 96, d = 108, size = 110
    }
    /// `d: f16, dmin: f16, scales: [12] u8 (8 packed 6-bit scales and mins), qs: [128] u8`.
    public enum Q4_K {
        public static let d = 0, dmin = 2, scales = 4, qs = 16, size = 144
    }
    /// `d: f16, dmin: f16, scales: [12] u8, qh: [32] u8 (5th bits), qs: [128] u8`.
    public enum Q5_K {
        public static let d = 0, dmin = 2, scales = 4, qh = 16, qs = 48, size = 176
    }
    /// `ql: [128] u8 (low 4 bits), qh: [64] u8 (high 2 bits), scales: [16] i8, d: f16`.
    public enum Q6_K {
        public static let ql = 0, qh = 128, scales = 192, d = 208, size = 210
    }
    /// `d: f32, qs: [256] i8, bsums: [16] i16` (sums of groups of 16 quants).
    public enum Q8_K {
        public static let d = 0, qs = 4, bsums = 260, size = 292
    }
}
