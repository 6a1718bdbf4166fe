/// Scalar reference dequantization: readable, byte-wise, exact. Fast kernels are checked
/// against these. Every function reads little-endian blocks with no alignment assumptions.

/// Dequantizes `count` elements of `type` from `src` into `dst` (which must hold `count`
/// floats). Throws when the type is unsupported, `count` is not a multiple of the block size,
/// or `src` is too small.
public func dequantizeReference(
    type: GGMLType, from src: UnsafeRawBufferPointer, count: Int, into dst: UnsafeMutablePointer<Float>
) throws {
    switch type {
    case .f32: try dequantizeRowF32Reference(from: src, count: count, into: dst)
    case .f16: try dequantizeRowF16Reference(from: src, count: count, into: dst)
    case .bf16: try dequantizeRowBF16Reference(from: src, count: count, into: dst)
    case .q4_0: try dequantizeRowQ4_0Reference(from: src, count: count, into: dst)
    case .q4_1: try dequantizeRowQ4_1Reference(from: src, count: count, into: dst)
    case .q5_0: try dequantizeRowQ5_0Reference(from: src, count: count, into: dst)
    case .q5_1: try dequantizeRowQ5_1Reference(from: src, count: count, into: dst)
    case .q8_0: try dequantizeRowQ8_0Reference(from: src, count: count, into: dst)
    case .q2_K: try dequantizeRowQ2_KReference(from: src, count: count, into: dst)
    case .q3_K: try dequantizeRowQ3_KReference(from: src, count: count, into: dst)
    case .q4_K: try dequantizeRowQ4_KReference(from: src, count: count, into: dst)
    case .q5_K: try dequantizeRowQ5_KReference(from: src, count: count, into: dst)
    case .q6_K: try dequantizeRowQ6_KReference(from: src, count: count, into: dst)
    case .q8_K: try dequantizeRowQ8_KReference(from: src, count: count, into: dst)
    default: throw DequantizeError.unsupportedType(type)
    }
}

/// Dequantizes `count` elements into a new array.
public func dequantizeReference(type: GGMLType, from src: UnsafeRawBufferPointer, count: Int) throws -> [Float] {
    guard count >= 0 else { throw DequantizeError.countNotMultipleOfBlock(type: type, count: count) }
    var result = [Float](repeating: 0, count: count)
    try result.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        try dequantizeReference(type: type, from: src, count: count, into: base)
    }
    return result
}

/// Number of blocks `count` elements make, after checking `src` holds them.
func checkedNumBlocks(_ type: GGMLType, _ src: UnsafeRawBufferPointer, count: Int) throws -> Int {
    guard count >= 0, count % type.blockSize == 0 else {
        throw DequantizeError.countNotMultipleOfBlock(type: type, count: count)
    }
    let numBlocks = count / type.blockSize
    let (needed, overflow) = numBlocks.multipliedReportingOverflow(by: type.typeSize)
    guard !overflow, needed <= src.count else {
        throw DequantizeError.sourceTooSmall(
            type: type, count: count, needed: overflow ? Int.max : needed, available: src.count)
    }
    return numBlocks
}
