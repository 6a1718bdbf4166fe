/// Why `GGUFWriter` refused its input.
public enum GGUFWriterError: Error, CustomStringConvertible, Equatable {
    case duplicateKey(String)
    case duplicateTensorName(String)
    /// An array whose elements are not all of one type.
    case mixedArray(key: String)
    /// Shape with more than 4 dimensions, a dimension < 1, or a first dimension that is not a
    /// multiple of the block size.
    case badShape(tensor: String, shape: [Int], type: GGMLType)
    /// The raw bytes do not match the size the shape and type need.
    case sizeMismatch(tensor: String, expected: Int, actual: Int)
    /// The alignment is not a positive power of two.
    case badAlignment(Int)
    /// Writing the file failed.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .duplicateKey(let key): return "GGUF writer: metadata key '\(key)' added twice"
        case .duplicateTensorName(let name): return "GGUF writer: tensor '\(name)' added twice"
        case .mixedArray(let key): return "GGUF writer: array '\(key)' mixes element types"
        case .badShape(let tensor, let shape, let type):
            return "GGUF writer: tensor '\(tensor)' has invalid shape \(shape) for type \(type.name)"
        case .sizeMismatch(let tensor, let expected, let actual):
            return "GGUF writer: tensor '\(tensor)' needs \(expected) bytes, got \(actual)"
        case .badAlignment(let value): return "GGUF writer: alignment \(value) is not a power of two"
        case .cannotWrite(let path, let reason): return "GGUF writer: cannot write \(path): \(reason)"
        }
    }
}
