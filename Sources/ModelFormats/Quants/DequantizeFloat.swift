/// Plain float element types: F32 (copied), F16 (IEEE half) and BF16 (upper 16 bits of an F32).

/// F32: little-endian IEEE single floats, copied bit for bit.
public func dequantizeRowF32Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let n = try checkedNumBlocks(.f32, src, count: count)
    for i in 0..<n {
        dst[i] = Float(bitPattern: src.quantWord(i * 4))
    }
}

/// F16: IEEE 754 half precision (subnormals, infinities and NaN payloads kept).
public func dequantizeRowF16Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let n = try checkedNumBlocks(.f16, src, count: count)
    for i in 0..<n {
        dst[i] = src.quantHalf(i * 2)
    }
}

/// BF16: the high half of an IEEE single float; widening is a 16-bit shift.
public func dequantizeRowBF16Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let n = try checkedNumBlocks(.bf16, src, count: count)
    for i in 0..<n {
        let bits = UInt32(src.quantByte(i * 2)) | UInt32(src.quantByte(i * 2 + 1)) << 8
        dst[i] = Float(bitPattern: bits << 16)
    }
}
