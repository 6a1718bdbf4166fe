/// The 32-element legacy quants (ggml-quants.c dequantize_row_q4_0 ... q8_0).
/// Within a block, element j < 16 takes the low nibble of qs[j] and element j + 16 the high one.

private typealias Layout = GGMLBlockLayout

/// Q4_0: x = d * (q - 8), q a 4-bit nibble.
public func dequantizeRowQ4_0Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q4_0, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q4_0.size
        let d = src.quantHalf(block + Layout.Q4_0.d)
        let y = dst + b * Layout.qk
        for j in 0..<Layout.qk / 2 {
            let q = src.quantByte(block + Layout.Q4_0.qs + j)
            y[j] = d * Float(Int(q & 0x0F) - 8)
            y[j + 16] = d * Float(Int(q >> 4) - 8)
        }
    }
}

/// Q4_1: x = d * q + m, q a 4-bit nibble.
public func dequantizeRowQ4_1Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q4_1, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q4_1.size
        let d = src.quantHalf(block + Layout.Q4_1.d)
        let m = src.quantHalf(block + Layout.Q4_1.m)
        let y = dst + b * Layout.qk
        for j in 0..<Layout.qk / 2 {
            let q = src.quantByte(block + Layout.Q4_1.qs + j)
            y[j] = d * Float(q & 0x0F) + m
            y[j + 16] = d * Float(q >> 4) + m
        }
    }
}

/// Q5_0: x = d * (q - 16); q's fifth bit for element j is bit j of `qh`.
public func dequantizeRowQ5_0Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q5_0, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q5_0.size
        let d = src.quantHalf(block + Layout.Q5_0.d)
        let qh = src.quantWord(block + Layout.Q5_0.qh)
        let y = dst + b * Layout.qk
        for j in 0..<Layout.qk / 2 {
            let q = src.quantByte(block + Layout.Q5_0.qs + j)
            let low = Int(q & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
            let high = Int(q >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = d * Float(low - 16)
            y[j + 16] = d * Float(high - 16)
        }
    }
}

/// Q5_1: x = d * q + m; q's fifth bit for element j is bit j of `qh`.
public func dequantizeRowQ5_1Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q5_1, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q5_1.size
        let d = src.quantHalf(block + Layout.Q5_1.d)
        let m = src.quantHalf(block + Layout.Q5_1.m)
        let qh = src.quantWord(block + Layout.Q5_1.qh)
        let y = dst + b * Layout.qk
        for j in 0..<Layout.qk / 2 {
            let q = src.quantByte(block + Layout.Q5_1.qs + j)
            let low = UInt32(q & 0x0F) | ((qh >> UInt32(j)) & 1) << 4
            let high = UInt32(q >> 4) | ((qh >> UInt32(j + 16)) & 1) << 4
            y[j] = d * Float(low) + m
            y[j + 16] = d * Float(high) + m
        }
    }
}

/// Q8_0: x = d * q, q a signed byte.
public func dequantizeRowQ8_0Reference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q8_0, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q8_0.size
        let d = src.quantHalf(block + Layout.Q8_0.d)
        let y = dst + b * Layout.qk
        for j in 0..<Layout.qk {
            y[j] = d * Float(src.quantInt8(block + Layout.Q8_0.qs + j))
        }
    }
}
