/// Byte-wise little-endian reads from an already bounds-checked block.
extension UnsafeRawBufferPointer {
    @inline(__always) func quantByte(_ offset: Int) -> UInt8 {
        load(fromByteOffset: offset, as: UInt8.self)
    }

    @inline(__always) func quantInt8(_ offset: Int) -> Int8 {
        Int8(bitPattern: quantByte(offset))
    }

    /// An IEEE half float widened to Float.
    @inline(__always) func quantHalf(_ offset: Int) -> Float {
        let bits = UInt16(quantByte(offset)) | UInt16(quantByte(offset + 1)) << 8
        #if os(macOS) && arch(x86_64)
        return halfBitsToFloat(bits)  // Float16 is unavailable on Intel Macs.
        #else
        return Float(Float16(bitPattern: bits))
        #endif
    }

    @inline(__always) func quantWord(_ offset: Int) -> UInt32 {
        UInt32(quantByte(offset)) | UInt32(quantByte(offset + 1)) << 8
            | UInt32(quantByte(offset + 2)) << 16 | UInt32(quantByte(offset + 3)) << 24
    }
}

/// IEEE half bits widened to Float in software (same bits as Float16 -> Float, including
/// subnormals, infinities and quieted NaN payloads); used where Swift has no Float16.
func halfBitsToFloat(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = UInt32(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x03FF)
    if exponent == 0x1F {
        // Infinity, or a NaN with its payload kept and (as the hardware does) made quiet.
        let quiet: UInt32 = mantissa == 0 ? 0 : 0x0040_0000
        return Float(bitPattern: sign | 0x7F80_0000 | quiet | mantissa << 13)
    }
    if exponent == 0 {
        let magnitude = Float(mantissa) * 0x1p-24
        return sign == 0 ? magnitude : -magnitude
    }
    return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
}
