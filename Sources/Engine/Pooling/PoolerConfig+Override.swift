import Foundation
import Models

extension PoolerConfig {
    /// vLLM's pooler for a generative model run as an embedding model (`--convert embed`): the
    /// last token's hidden state, L2-normalized.
    public static let decoderDefault = PoolerConfig(poolingType: .last, normalize: true)

    /// The JSON of vLLM's `--pooler-config` as far as this engine runs it.
    struct OverrideJSON: Decodable {
        var poolingType: String?
        var seqPoolingType: String?
        var normalize: Bool?
        enum CodingKeys: String, CodingKey {
            case poolingType = "pooling_type", seqPoolingType = "seq_pooling_type", normalize
        }
    }

    /// The keys of a JSON object.
    struct KeyList: Decodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        var names: [String]
        init(from decoder: any Decoder) throws {
            names = try decoder.container(keyedBy: Key.self).allKeys.map(\.stringValue)
        }
    }

    /// Keys of vLLM's PoolerConfig this engine does not run; naming one is refused, not ignored.
    static let unsupportedOverrideKeys = ["dimensions", "enable_chunked_processing", "max_embed_len", "softmax", "activation",
                                          "use_activation", "logit_bias", "step_tag_id", "returned_token_ids", "tok_pooling_type"]

    /// This config with vLLM's `--pooler-config` JSON applied (`{"pooling_type": "MEAN",
    /// "normalize": false}`; `seq_pooling_type` is the newer spelling of `pooling_type`). Throws a
    /// message for malformed JSON, an unknown pooling type, or a key that is not run here.
    public func overridden(json: String) throws -> PoolerConfig {
        let data = Data(json.utf8)
        guard let keys = try? JSONDecoder().decode(KeyList.self, from: data) else {
            throw GenerationError.invalidParams("--pooler-config must be a JSON object, got \(json)")
        }
        let known = Set(["pooling_type", "seq_pooling_type", "normalize"])
        if let key = keys.names.sorted().first(where: { !known.contains($0) }) {
            let why = Self.unsupportedOverrideKeys.contains(key) ? "is not supported yet" : "is not a pooler config field"
            throw GenerationError.invalidParams("--pooler-config: '\(key)' \(why) (supported: pooling_type, seq_pooling_type, normalize)")
        }
        let override: OverrideJSON
        do { override = try JSONDecoder().decode(OverrideJSON.self, from: data) } catch {
            throw GenerationError.invalidParams("--pooler-config: pooling_type must be a string and normalize a boolean")
        }
        var config = self
        if let name = override.seqPoolingType ?? override.poolingType {
            guard let type = PoolingType(rawValue: name.uppercased()) else {
                throw GenerationError.invalidParams("--pooler-config: pooling_type '\(name)' is not one of \(PoolingType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            config.poolingType = type
        }
        if let normalize = override.normalize { config.normalize = normalize }
        return config
    }
}
