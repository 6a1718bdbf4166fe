/// Why a dequantize call was refused.
public enum DequantizeError: Error, CustomStringConvertible, Equatable {
    /// The type has no dequantize reference here (IQ*, TQ*, integer types, Q8_1 ...).
    case unsupportedType(GGMLType)
    /// `count` is negative or not a multiple of the type's block size.
    case countNotMultipleOfBlock(type: GGMLType, count: Int)
    /// The source holds fewer bytes than `count` elements need.
    case sourceTooSmall(type: GGMLType, count: Int, needed: Int, available: Int)

    public var description: String {
        switch self {
        case .unsupportedType(let type):
            return "dequantizing \(type.name) tensors is not supported"
        case .countNotMultipleOfBlock(let type, let count):
            return "cannot dequantize \(count) \(type.name) elements: not a non-negative multiple of the block size \(type.blockSize)"
        case .sourceTooSmall(let type, let count, let needed, let available):
            return "cannot dequantize \(count) \(type.name) elements: need \(needed) bytes, source has \(available)"
        }
    }
}
