/// The engine-facing description of a decoder-only transformer, whichever file it came from
/// (Hugging Face config.json through `HFTransformerConfig`, or GGUF metadata).
public struct ModelConfig: Sendable, Equatable {
    /// The model families the engine runs.
    public enum Architecture: String, Sendable, CaseIterable {
        case llama, mistral, qwen2, qwen3
    }

    public var architecture: Architecture
    public var numLayers: Int
    public var hiddenSize: Int
    /// Width of the MLP's gate/up projections.
    public var intermediateSize: Int
    /// Query heads.
    public var numHeads: Int
    /// Key/value heads (grouped-query attention when fewer than `numHeads`).
    public var numKVHeads: Int
    public var headDim: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    public var ropeScaling: RopeScaling?
    /// The output projection reuses the token embedding matrix.
    public var tieWordEmbeddings: Bool
    /// q, k and v projections carry biases.
    public var qkvBias: Bool
    /// The attention output projection carries a bias.
    public var outputBias: Bool
    /// The MLP projections carry biases.
    public var mlpBias: Bool
    /// Per-head RMSNorm on queries and keys before RoPE (Qwen3).
    public var qkNorm: Bool
    public var bosTokenID: Int?
    /// Every id that ends generation.
    public var eosTokenIDs: [Int]
    /// Attention window in tokens, nil for full attention.
    public var slidingWindow: Int?

    public init(architecture: Architecture, numLayers: Int, hiddenSize: Int, intermediateSize: Int,
                numHeads: Int, numKVHeads: Int, headDim: Int, vocabSize: Int, maxPositionEmbeddings: Int,
                rmsNormEps: Float, ropeTheta: Float, ropeScaling: RopeScaling? = nil,
                tieWordEmbeddings: Bool, qkvBias: Bool = false, outputBias: Bool = false,
                mlpBias: Bool = false, qkNorm: Bool = false, bosTokenID: Int? = nil,
                eosTokenIDs: [Int] = [], slidingWindow: Int? = nil) {
        self.architecture = architecture
        self.numLayers = numLayers
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHeads = numHeads
        self.numKVHeads = numKVHeads
        self.headDim = headDim
        self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tieWordEmbeddings = tieWordEmbeddings
        self.qkvBias = qkvBias
        self.outputBias = outputBias
        self.mlpBias = mlpBias
        self.qkNorm = qkNorm
        self.bosTokenID = bosTokenID
        self.eosTokenIDs = eosTokenIDs
        self.slidingWindow = slidingWindow
    }

    /// The fields that validation can blame, spelled per source file by `name`.
    enum Field: CaseIterable {
        case numLayers, hiddenSize, intermediateSize, numHeads, numKVHeads, headDim, vocabSize
        case maxPositionEmbeddings, rmsNormEps, ropeTheta, bosTokenID, eosTokenIDs, slidingWindow
    }

    /// Checks sizes are positive, heads divide evenly, RoPE head dimension is even and token ids
    /// lie in the vocabulary. `name` spells a field as the source file does.
    func validate(file: String, name: (Field) -> String) throws {
        let sizes: [(Field, Int)] = [
            (.numLayers, numLayers), (.hiddenSize, hiddenSize), (.intermediateSize, intermediateSize),
            (.numHeads, numHeads), (.numKVHeads, numKVHeads), (.headDim, headDim),
            (.vocabSize, vocabSize), (.maxPositionEmbeddings, maxPositionEmbeddings),
        ]
        for (field, value) in sizes where value <= 0 {
            throw ModelConfigError.invalidValue(file: file, field: name(field), value: "\(value)", reason: "must be positive")
        }
        guard numHeads % numKVHeads == 0 else {
            throw ModelConfigError.notDivisible(file: file, field: name(.numHeads), value: numHeads,
                                                divisorField: name(.numKVHeads), divisor: numKVHeads)
        }
        guard headDim % 2 == 0 else {
            throw ModelConfigError.invalidValue(file: file, field: name(.headDim), value: "\(headDim)",
                                                reason: "rotary embeddings need an even head dimension")
        }
        for (field, value) in [(Field.rmsNormEps, rmsNormEps), (.ropeTheta, ropeTheta)] where !(value > 0 && value.isFinite) {
            throw ModelConfigError.invalidValue(file: file, field: name(field), value: "\(value)", reason: "must be a positive number")
        }
        if let window = slidingWindow, window <= 0 {
            throw ModelConfigError.invalidValue(file: file, field: name(.slidingWindow), value: "\(window)", reason: "must be positive")
        }
        if let bos = bosTokenID, !(0..<vocabSize).contains(bos) {
            throw ModelConfigError.invalidValue(file: file, field: name(.bosTokenID), value: "\(bos)",
                                                reason: "not a token id of the \(vocabSize)-token vocabulary")
        }
        for eos in eosTokenIDs where !(0..<vocabSize).contains(eos) {
            throw ModelConfigError.invalidValue(file: file, field: name(.eosTokenIDs), value: "\(eos)",
                                                reason: "not a token id of the \(vocabSize)-token vocabulary")
        }
    }
}
