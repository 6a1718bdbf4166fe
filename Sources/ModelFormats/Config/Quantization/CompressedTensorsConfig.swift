/// compressed-tensors' `quantization_config` (llm-compressor): named groups of layers, each with
/// the quantization of its weights and activations.
public struct CompressedTensorsConfig: Codable, Sendable, Equatable {
    /// How one tensor kind is quantized (compressed-tensors' QuantizationArgs).
    public struct Args: Codable, Sendable, Equatable {
        public var numBits: Int
        /// "int" or "float".
        public var type: String
        public var symmetric: Bool
        /// "tensor", "channel", "group", "block" or "token".
        public var strategy: String
        public var groupSize: Int?
        public var blockStructure: [Int]?
        public var dynamic: Dynamic
        /// GPTQ activation ordering ("group", "weight", "static") or nil.
        public var actorder: String?

        enum CodingKeys: String, CodingKey {
            case numBits = "num_bits", type, symmetric, strategy, groupSize = "group_size"
            case blockStructure = "block_structure", dynamic, actorder
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            numBits = try c.decode(Int.self, forKey: .numBits)
            type = try c.decodeIfPresent(String.self, forKey: .type) ?? "int"
            symmetric = try c.decodeIfPresent(Bool.self, forKey: .symmetric) ?? true
            strategy = try c.decodeIfPresent(String.self, forKey: .strategy) ?? "tensor"
            groupSize = try c.decodeIfPresent(Int.self, forKey: .groupSize)
            blockStructure = try c.decodeIfPresent([Int].self, forKey: .blockStructure)
            dynamic = try c.decodeIfPresent(Dynamic.self, forKey: .dynamic) ?? .flag(false)
            actorder = try? c.decodeIfPresent(String.self, forKey: .actorder)
        }
    }

    /// `dynamic`: true / false, or "local" (per-device dynamic scales).
    public enum Dynamic: Codable, Sendable, Equatable {
        case flag(Bool)
        case named(String)

        public var isDynamic: Bool {
            if case .flag(let value) = self { return value }
            return true
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let value = try? c.decode(Bool.self) { self = .flag(value) } else { self = .named(try c.decode(String.self)) }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .flag(let value): try c.encode(value)
            case .named(let value): try c.encode(value)
            }
        }
    }

    /// The layers a scheme applies to ("Linear", "re:.*q_proj") and how.
    public struct Group: Codable, Sendable, Equatable {
        public var targets: [String]
        public var weights: Args?
        public var inputActivations: Args?
        public var outputActivations: Args?

        enum CodingKeys: String, CodingKey {
            case targets, weights, inputActivations = "input_activations", outputActivations = "output_activations"
        }
    }

    /// "float-quantized", "int-quantized", "pack-quantized", "naive-quantized", ...
    public var format: String?
    public var configGroups: [String: Group]
    /// Layers left unquantized ("lm_head", "re:...").
    public var ignore: [String]
    /// The KV cache's quantization, when the checkpoint carries k/v scales.
    public var kvCacheScheme: Args?

    enum CodingKeys: String, CodingKey {
        case format, configGroups = "config_groups", ignore, kvCacheScheme = "kv_cache_scheme"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decodeIfPresent(String.self, forKey: .format)
        configGroups = try c.decodeIfPresent([String: Group].self, forKey: .configGroups) ?? [:]
        ignore = try c.decodeIfPresent([String].self, forKey: .ignore) ?? []
        kvCacheScheme = try c.decodeIfPresent(Args.self, forKey: .kvCacheScheme)
    }
}
