/// Decoding of the narrow float and integer element types to `Float`, bit-exact.
///
/// float8 types decode through 256-entry tables built once from the bit-level definitions:
/// F8_E4M3 is OCP "e4m3fn" (bias 7, subnormals, no infinities, NaN = S.1111.111) and
/// F8_E5M2 is IEEE-like (bias 15, subnormals, infinities and NaNs) — exactly the high byte
/// of an IEEE half.
public enum FloatDecoding {
    /// IEEE binary16 bits to Float (exact; NaN payloads kept).
    @inline(__always)
    public static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // zero or subnormal: mantissa * 2^-24, exact in Float
            let magnitude = Float(mantissa) * 0x1p-24
            return Float(bitPattern: sign | magnitude.bitPattern)
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// bfloat16 bits to Float (the high half of a Float).
    @inline(__always)
    public static func float(fromBFloat16Bits bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// F8_E4M3 (e4m3fn) byte to Float.
    public static func float(fromE4M3 byte: UInt8) -> Float {
        let negative = byte & 0x80 != 0
        let exponent = Int((byte >> 3) & 0x0F)
        let mantissa = Float(byte & 0x07)
        let magnitude: Float
        if exponent == 0x0F && byte & 0x07 == 0x07 {
            magnitude = .nan
        } else if exponent == 0 {
            magnitude = mantissa * 0x1p-9
        } else {
            magnitude = (1 + mantissa / 8) * Float(sign: .plus, exponent: exponent - 7, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }

    /// F8_E5M2 byte to Float.
    @inline(__always)
    public static func float(fromE5M2 byte: UInt8) -> Float {
        float(fromHalfBits: UInt16(byte) << 8)
    }

    /// All 256 F8_E4M3 values.
    static let e4m3Table: [Float] = (0...255).map { float(fromE4M3: UInt8($0)) }
    /// All 256 F8_E5M2 values.
    static let e5m2Table: [Float] = (0...255).map { float(fromE5M2: UInt8($0)) }

    /// Converts `count` elements of `dtype` from `source` into `destination`.
    /// `source` must hold `count * dtype.byteSize` bytes and `dtype.isConvertibleToFloat`.
    static func convert(_ source: UnsafeRawBufferPointer, dtype: SafeTensorsDType,
                        count: Int, into destination: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            if let start = source.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: start, byteCount: count * 4)
            }
        case .f16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self))
                destination[i] = float(fromHalfBits: bits)
            }
        case .bf16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self))
                destination[i] = float(fromBFloat16Bits: bits)
            }
        case .i8:
            for i in 0..<count { destination[i] = Float(Int8(bitPattern: source[i])) }
        case .u8:
            for i in 0..<count { destination[i] = Float(source[i]) }
        case .f8E4M3:
            lookup(source, count: count, table: e4m3Table, into: destination)
        case .f8E5M2:
            lookup(source, count: count, table: e5m2Table, into: destination)
        default:
            break
        }
    }

    private static func lookup(_ source: UnsafeRawBufferPointer, count: Int, table: [Float],
                               into destination: UnsafeMutablePointer<Float>) {
        table.withUnsafeBufferPointer { values in
            for i in 0..<count { destination[i] = values[Int(source[i])] }
        }
    }
}
