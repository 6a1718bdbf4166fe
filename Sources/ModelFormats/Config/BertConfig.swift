import Foundation

/// config.json of transformers' `BertModel` (model_type "bert"): the encoder behind
/// sentence-transformers models such as all-MiniLM-L6-v2. Absolute position embeddings and the
/// erf GELU only; anything else is refused naming the field.
public struct BertConfig: Decodable, Sendable, Equatable {
    public static let modelType = "bert"
    public static let architectureNames = ["BertModel", "BertForMaskedLM", "BertForPreTraining"]

    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var layerNormEps: Double
    public var hiddenAct: String
    public var positionEmbeddingType: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case intermediateSize = "intermediate_size", vocabSize = "vocab_size", maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabSize = "type_vocab_size", layerNormEps = "layer_norm_eps", hiddenAct = "hidden_act"
        case positionEmbeddingType = "position_embedding_type"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeInteger(forKey: .hiddenSize)
        numHiddenLayers = try c.decodeInteger(forKey: .numHiddenLayers)
        numAttentionHeads = try c.decodeInteger(forKey: .numAttentionHeads)
        intermediateSize = try c.decodeInteger(forKey: .intermediateSize)
        vocabSize = try c.decodeInteger(forKey: .vocabSize)
        maxPositionEmbeddings = try c.decodeIntegerIfPresent(forKey: .maxPositionEmbeddings) ?? 512
        typeVocabSize = try c.decodeIntegerIfPresent(forKey: .typeVocabSize) ?? 2
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? 1e-12
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute"
    }

    /// Reads and checks config.json; errors name the file and the field.
    public static func load(path: String) throws -> BertConfig {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelConfigError.io(file: path, reason: error.localizedDescription)
        }
        let config: BertConfig
        do { config = try JSONDecoder().decode(BertConfig.self, from: data) } catch {
            throw ModelConfigError.from(error, file: path)
        }
        try config.validate(file: path)
        return config
    }

    func validate(file: String) throws {
        for (field, value) in [("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
                               ("num_attention_heads", numAttentionHeads), ("intermediate_size", intermediateSize),
                               ("vocab_size", vocabSize), ("max_position_embeddings", maxPositionEmbeddings),
                               ("type_vocab_size", typeVocabSize)] where value < 1 || value > 1 << 20 {
            throw ModelConfigError.invalidValue(file: file, field: field, value: "\(value)", reason: "must be in 1...1048576")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw ModelConfigError.notDivisible(file: file, field: "hidden_size", value: hiddenSize,
                                                divisorField: "num_attention_heads", divisor: numAttentionHeads)
        }
        guard layerNormEps > 0, layerNormEps.isFinite else {
            throw ModelConfigError.invalidValue(file: file, field: "layer_norm_eps", value: "\(layerNormEps)", reason: "must be positive")
        }
        guard hiddenAct == "gelu" else {
            throw ModelConfigError.invalidValue(file: file, field: "hidden_act", value: hiddenAct, reason: "only gelu (erf) is implemented")
        }
        guard positionEmbeddingType == "absolute" else {
            throw ModelConfigError.invalidValue(file: file, field: "position_embedding_type", value: positionEmbeddingType,
                                                reason: "only absolute position embeddings are implemented")
        }
    }
}
