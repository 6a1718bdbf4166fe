/// What distinguishes one Hugging Face model family's config.json: its names and the
/// defaults its transformers configuration class uses for absent fields.
public protocol HFConfigFamily: Sendable {
    static var architecture: ModelConfig.Architecture { get }
    /// `architectures[0]` spelling, e.g. "LlamaForCausalLM".
    static var architectureName: String { get }
    /// `model_type` spelling, e.g. "llama".
    static var modelType: String { get }
    static var defaultMaxPositionEmbeddings: Int { get }
    static var defaultRMSNormEps: Double { get }
    static var defaultRopeTheta: Double { get }
    static var defaultHeadDim: Int? { get }
    static var defaultSlidingWindow: Int? { get }
    static var defaultBOSTokenID: Int? { get }
    static var defaultEOSTokenID: Int? { get }
    static var qkNorm: Bool { get }
    /// (qkv, output, mlp) biases given the file's `attention_bias` and `mlp_bias`.
    static func biases(attentionBias: Bool, mlpBias: Bool) -> (qkv: Bool, output: Bool, mlp: Bool)
    /// The effective window given the file's `sliding_window` and `use_sliding_window`.
    static func slidingWindow(_ window: Int?, useSlidingWindow: Bool) -> Int?
}

/// transformers `LlamaConfig` (also SmolLM2): attention_bias covers q, k, v and o.
public enum LlamaFamily: HFConfigFamily {
    public static let architecture = ModelConfig.Architecture.llama
    public static let architectureName = "LlamaForCausalLM"
    public static let modelType = "llama"
    public static let defaultMaxPositionEmbeddings = 2048
    public static let defaultRMSNormEps = 1e-6
    public static let defaultRopeTheta = 10_000.0
    public static let defaultHeadDim: Int? = nil
    public static let defaultSlidingWindow: Int? = nil
    public static let defaultBOSTokenID: Int? = 1
    public static let defaultEOSTokenID: Int? = 2
    public static let qkNorm = false
    public static func biases(attentionBias: Bool, mlpBias: Bool) -> (qkv: Bool, output: Bool, mlp: Bool) {
        (attentionBias, attentionBias, mlpBias)
    }
    public static func slidingWindow(_ window: Int?, useSlidingWindow: Bool) -> Int? { nil }
}

/// transformers `MistralConfig`: no biases; `sliding_window` applies when not null.
public enum MistralFamily: HFConfigFamily {
    public static let architecture = ModelConfig.Architecture.mistral
    public static let architectureName = "MistralForCausalLM"
    public static let modelType = "mistral"
    public static let defaultMaxPositionEmbeddings = 4096 * 32
    public static let defaultRMSNormEps = 1e-6
    public static let defaultRopeTheta = 10_000.0
    public static let defaultHeadDim: Int? = nil
    public static let defaultSlidingWindow: Int? = 4096
    public static let defaultBOSTokenID: Int? = 1
    public static let defaultEOSTokenID: Int? = 2
    public static let qkNorm = false
    public static func biases(attentionBias: Bool, mlpBias: Bool) -> (qkv: Bool, output: Bool, mlp: Bool) {
        (false, false, false)
    }
    public static func slidingWindow(_ window: Int?, useSlidingWindow: Bool) -> Int? { window }
}

/// transformers `Qwen2Config`: q, k, v always carry biases (o does not); the window applies
/// only with `use_sliding_window`.
public enum Qwen2Family: HFConfigFamily {
    public static let architecture = ModelConfig.Architecture.qwen2
    public static let architectureName = "Qwen2ForCausalLM"
    public static let modelType = "qwen2"
    public static let defaultMaxPositionEmbeddings = 32768
    public static let defaultRMSNormEps = 1e-6
    public static let defaultRopeTheta = 10_000.0
    public static let defaultHeadDim: Int? = nil
    public static let defaultSlidingWindow: Int? = 4096
    public static let defaultBOSTokenID: Int? = nil
    public static let defaultEOSTokenID: Int? = nil
    public static let qkNorm = false
    public static func biases(attentionBias: Bool, mlpBias: Bool) -> (qkv: Bool, output: Bool, mlp: Bool) {
        (true, false, false)
    }
    public static func slidingWindow(_ window: Int?, useSlidingWindow: Bool) -> Int? {
        useSlidingWindow ? window : nil
    }
}

/// transformers `Qwen3Config`: q/k RMSNorm, head_dim 128 by default, attention_bias covers
/// q, k, v and o; the window applies only with `use_sliding_window`.
public enum Qwen3Family: HFConfigFamily {
    public static let architecture = ModelConfig.Architecture.qwen3
    public static let architectureName = "Qwen3ForCausalLM"
    public static let modelType = "qwen3"
    public static let defaultMaxPositionEmbeddings = 32768
    public static let defaultRMSNormEps = 1e-6
    public static let defaultRopeTheta = 10_000.0
    public static let defaultHeadDim: Int? = 128
    public static let defaultSlidingWindow: Int? = 4096
    public static let defaultBOSTokenID: Int? = nil
    public static let defaultEOSTokenID: Int? = nil
    public static let qkNorm = true
    public static func biases(attentionBias: Bool, mlpBias: Bool) -> (qkv: Bool, output: Bool, mlp: Bool) {
        (attentionBias, attentionBias, false)
    }
    public static func slidingWindow(_ window: Int?, useSlidingWindow: Bool) -> Int? {
        useSlidingWindow ? window : nil
    }
}

/// config.json of `LlamaForCausalLM` (model_type "llama").
public typealias LlamaConfig = HFTransformerConfig<LlamaFamily>
/// config.json of `MistralForCausalLM` (model_type "mistral").
public typealias MistralConfig = HFTransformerConfig<MistralFamily>
/// config.json of `Qwen2ForCausalLM` (model_type "qwen2").
public typealias Qwen2Config = HFTransformerConfig<Qwen2Family>
/// config.json of `Qwen3ForCausalLM` (model_type "qwen3").
public typealias Qwen3Config = HFTransformerConfig<Qwen3Family>
