/// The 256-element K-quants (ggml-quants.c dequantize_row_q2_K ... q8_K).

private typealias Layout = GGMLBlockLayout

/// Q2_K: 16 groups of 16; group g: x = d * (scales[g] & 15) * q - dmin * (scales[g] >> 4),
/// q 2 bits. Within each 128-element half, 32 bytes of qs give four 32-element slices
/// (bit pairs 0-1, 2-3, 4-5, 6-7), each slice two groups.
public func dequantizeRowQ2_KReference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q2_K, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q2_K.size
        let d = src.quantHalf(block + Layout.Q2_K.d)
        let dmin = src.quantHalf(block + Layout.Q2_K.dmin)
        let y = dst + b * Layout.qkK
        for group in 0..<16 {
            let scale = src.quantByte(block + Layout.Q2_K.scales + group)
            let dl = d * Float(scale & 0x0F)
            let ml = dmin * Float(scale >> 4)
            let half = group / 8, slice = (group % 8) / 2, part = group % 2
            let qs = block + Layout.Q2_K.qs + half * 32 + part * 16
            let shift = UInt8(2 * slice)
            for l in 0..<16 {
                let q = (src.quantByte(qs + l) >> shift) & 3
                y[group * 16 + l] = dl * Float(q) - ml
            }
        }
    }
}

/// Q3_K: 16 groups of 16; x = d * (scale[g] - 32) * (q - (high bit set ? 0 : 4)), q the low
/// 2 bits (laid out as in Q2_K); the high bit of element 32 * s + l (s = slice 0..<8) is
/// bit s of hmask[l]. The 6-bit scales: low 4 bits from scales[g % 8] (low nibble for g < 8,
/// high for g >= 8), high 2 bits from scales[8 + g % 4] >> (2 * (g / 4)).
public func dequantizeRowQ3_KReference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q3_K, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q3_K.size
        let d = src.quantHalf(block + Layout.Q3_K.d)
        let scales = block + Layout.Q3_K.scales
        let y = dst + b * Layout.qkK
        for group in 0..<16 {
            let lowByte = src.quantByte(scales + group % 8)
            let low = group < 8 ? lowByte & 0x0F : lowByte >> 4
            let high = (src.quantByte(scales + 8 + group % 4) >> UInt8(2 * (group / 4))) & 3
            let dl = d * Float(Int(low | high << 4) - 32)
            let half = group / 8, slice = (group % 8) / 2, part = group % 2
            let qs = block + Layout.Q3_K.qs + half * 32 + part * 16
            let shift = UInt8(2 * slice)
            let hbit = UInt8(half * 4 + slice)
            for l in 0..<16 {
                let q = Int((src.quantByte(qs + l) >> shift) & 3)
                let hmask = src.quantByte(block + Layout.Q3_K.hmask + part * 16 + l)
                let offset = (hmask >> hbit) & 1 == 1 ? 0 : 4
                y[group * 16 + l] = dl * Float(q - offset)
            }
        }
    }
}

/// Scale and min of sub-block `j` (0..<8) from the 12 packed bytes of Q4_K/Q5_K
/// (ggml's get_scale_min_k4).
@inline(__always)
func scaleMinK4(_ src: UnsafeRawBufferPointer, _ scales: Int, _ j: Int) -> (scale: UInt8, min: UInt8) {
    if j < 4 {
        return (src.quantByte(scales + j) & 63, src.quantByte(scales + j + 4) & 63)
    }
    let scale = (src.quantByte(scales + j + 4) & 0x0F) | (src.quantByte(scales + j - 4) >> 6) << 4
    let min = (src.quantByte(scales + j + 4) >> 4) | (src.quantByte(scales + j) >> 6) << 4
    return (scale, min)
}

/// Q4_K: 8 sub-blocks of 32; x = d * scale[j] * q - dmin * min[j]. Each 32 bytes of qs hold
/// sub-block 2k in the low nibbles and 2k + 1 in the high nibbles.
public func dequantizeRowQ4_KReference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q4_K, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q4_K.size
        let d = src.quantHalf(block + Layout.Q4_K.d)
        let dmin = src.quantHalf(block + Layout.Q4_K.dmin)
        let y = dst + b * Layout.qkK
        for sub in 0..<8 {
            let (scale, min) = scaleMinK4(src, block + Layout.Q4_K.scales, sub)
            let dl = d * Float(scale)
            let ml = dmin * Float(min)
            let qs = block + Layout.Q4_K.qs + (sub / 2) * 32
            let shift = UInt8(4 * (sub % 2))
            for l in 0..<32 {
                let q = (src.quantByte(qs + l) >> shift) & 0x0F
                y[sub * 32 + l] = dl * Float(q) - ml
            }
        }
    }
}

/// Q5_K: as Q4_K with a fifth bit: bit `sub` of qh[l] adds 16 to element l of sub-block `sub`.
public func dequantizeRowQ5_KReference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q5_K, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q5_K.size
        let d = src.quantHalf(block + Layout.Q5_K.d)
        let dmin = src.quantHalf(block + Layout.Q5_K.dmin)
        let y = dst + b * Layout.qkK
        for sub in 0..<8 {
            let (scale, min) = scaleMinK4(src, block + Layout.Q5_K.scales, sub)
            let dl = d * Float(scale)
            let ml = dmin * Float(min)
            let qs = block + Layout.Q5_K.qs + (sub / 2) * 32
            let shift = UInt8(4 * (sub % 2))
            for l in 0..<32 {
                let low = (src.quantByte(qs + l) >> shift) & 0x0F
                let high = (src.quantByte(block + Layout.Q5_K.qh + l) >> UInt8(sub)) & 1
                y[sub * 32 + l] = dl * Float(low | high << 4) - ml
            }
        }
    }
}

/// Q6_K: 16 groups of 16; x = (d * scales[g]) * (q - 32), q 6 bits: low 4 from ql, high 2
/// from qh. In each 128-element half (ql + 64h, qh + 32h), element 32 * s + l (s 0..<4) takes
/// the low (s even) or high (s odd) nibble of ql[l + 32 * (s % 2)] and bits 2s, 2s+1 of qh[l].
public func dequantizeRowQ6_KReference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q6_K, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q6_K.size
        let d = src.quantHalf(block + Layout.Q6_K.d)
        let y = dst + b * Layout.qkK
        for half in 0..<2 {
            let ql = block + Layout.Q6_K.ql + half * 64
            let qh = block + Layout.Q6_K.qh + half * 32
            for slice in 0..<4 {
                let nibbleShift = UInt8(4 * (slice / 2))
                let highShift = UInt8(2 * slice)
                for l in 0..<32 {
                    let low = (src.quantByte(ql + l + 32 * (slice % 2)) >> nibbleShift) & 0x0F
                    let high = (src.quantByte(qh + l) >> highShift) & 3
                    let q = Int(low | high << 4) - 32
                    let index = half * 128 + slice * 32 + l
                    let scale = src.quantInt8(block + Layout.Q6_K.scales + index / 16)
                    y[index] = (d * Float(scale)) * Float(q)
                }
            }
        }
    }
}

/// Q8_K: x = d * q with d a 32-bit float and q a signed byte (bsums are not needed).
public func dequantizeRowQ8_KReference(
    from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    let numBlocks = try checkedNumBlocks(.q8_K, src, count: count)
    for b in 0..<numBlocks {
        let block = b * Layout.Q8_K.size
        let d = Float(bitPattern: src.quantWord(block + Layout.Q8_K.d))
        let y = dst + b * Layout.qkK
        for j in 0..<Layout.qkK {
            y[j] = d * Float(src.quantInt8(block + Layout.Q8_K.qs + j))
        }
    }
}
