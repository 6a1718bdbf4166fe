/// Why the engine core refused a request or a configuration.
public enum EngineCoreError: Error, CustomStringConvertible, Equatable {
    /// A request with this id is still unfinished.
    case duplicateRequestID(String)
    /// The KV pool cannot hold one request of max-model-len tokens.
    case kvCacheTooSmall(maxModelLen: Int, capacityTokens: Int, neededBytes: Int, availableBytes: Int)
    /// max-model-len above what the model supports.
    case maxModelLenAboveModel(maxModelLen: Int, modelMaxLen: Int)
    /// A setting outside its range; the message names it.
    case invalidConfig(String)
    /// The runner got a batch the scheduler should never build (a bug, not bad input).
    case inconsistentBatch(String)

    public var description: String {
        switch self {
        case .duplicateRequestID(let id):
            return "request id '\(id)' is already in use by an unfinished request: use a unique id"
        case .kvCacheTooSmall(let maxModelLen, let capacity, let needed, let available):
            return "the KV cache (\(available / (1 << 20)) MiB) holds \(capacity) tokens, but one request of max-model-len \(maxModelLen) tokens needs \(needed / (1 << 20)) MiB: raise the KV cache memory or lower max-model-len to at most \(capacity)"
        case .maxModelLenAboveModel(let maxModelLen, let modelMaxLen):
            return "max-model-len \(maxModelLen) is above the model's context length \(modelMaxLen): lower it"
        case .invalidConfig(let message):
            return message
        case .inconsistentBatch(let message):
            return "internal error, inconsistent batch: \(message)"
        }
    }
}
