/// Why a model's weights could not be loaded. Every case names the file and the tensor (or
/// architecture) so the user can tell which checkpoint is wrong and how.
public enum ModelLoadingError: Error, CustomStringConvertible, Equatable {
    /// The file's architecture is not one this engine runs.
    case unsupportedArchitecture(file: String, name: String, supported: [String])
    /// A tensor the architecture needs is absent.
    case missingTensor(file: String, tensor: String)
    /// A tensor has the wrong dimensions (each in the file's own order: GGUF lists ne0 first,
    /// safetensors lists the outermost dimension first).
    case wrongShape(file: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor is stored in a type the kernels cannot read.
    case unsupportedTensorType(file: String, tensor: String, type: String, supported: [String])
    /// A tensor's bytes do not match its shape and type.
    case wrongDataSize(file: String, tensor: String, expectedBytes: Int, foundBytes: Int)
    /// The configuration cannot be run (e.g. a size whose product overflows).
    case invalidConfig(file: String, reason: String)
    /// The file holds a tensor that changes the model in a way the engine does not implement.
    case unsupportedTensor(file: String, tensor: String, reason: String)
    /// The checkpoint is quantized in a scheme the engine does not run yet (config.json's
    /// `quantization_config`, summarized).
    case unsupportedQuantization(file: String, scheme: String)

    public var description: String {
        switch self {
        case let .unsupportedArchitecture(file, name, supported):
            return "\(file): architecture '\(name)' is not supported; supported architectures: \(supported.joined(separator: ", "))"
        case let .missingTensor(file, tensor):
            return "\(file): tensor '\(tensor)' is missing"
        case let .wrongShape(file, tensor, expected, found):
            return "\(file): tensor '\(tensor)' has shape \(found), expected \(expected)"
        case let .unsupportedTensorType(file, tensor, type, supported):
            return "\(file): tensor '\(tensor)' has type \(type), which is not supported; supported types: \(supported.joined(separator: ", "))"
        case let .wrongDataSize(file, tensor, expectedBytes, foundBytes):
            return "\(file): tensor '\(tensor)' holds \(foundBytes) bytes, expected \(expectedBytes)"
        case let .invalidConfig(file, reason):
            return "\(file): \(reason)"
        case let .unsupportedTensor(file, tensor, reason):
            return "\(file): tensor '\(tensor)' is not supported: \(reason)"
        case let .unsupportedQuantization(file, scheme):
            return "\(file): this quantization is not supported (quantization_config: \(scheme)); use an unquantized or GGUF copy of the model"
        }
    }
}
