import Foundation

/// Speculative decoding (`--speculative-config`, vLLM's JSON object and field names): which
/// proposer drafts tokens and how many the model verifies per step.
///
/// Implemented: `"method": "ngram"` (prompt lookup over the request's own tokens), `"suffix"`
/// (suffix trees over the request and earlier outputs) and a draft model (`"model": PATH`, vLLM's
/// `draft_model` method: a smaller model of the same vocabulary). The other methods vLLM names
/// (`eagle`, `medusa`, ...) and fields this engine does not act on
/// are refused by name when the configuration is parsed, so none is silently ignored.
public struct SpeculativeConfig: Sendable, Equatable {
    public enum Method: String, Sendable, Equatable {
        case ngram
        case suffix
        case draftModel = "draft_model"
    }

    public var method: Method
    /// The draft model's path (a .gguf file or a Hugging Face directory) for `.draftModel`.
    public var model: String?
    /// Draft tokens per step and request (`num_speculative_tokens`).
    public var numSpeculativeTokens: Int
    /// The longest and shortest suffix the n-gram proposer matches (`prompt_lookup_max` / `_min`;
    /// both 5 when neither is given, the given one for both when one is, as vLLM).
    public var promptLookupMax: Int
    public var promptLookupMin: Int
    /// No drafts while at least this many requests run (`disable_by_batch_size`); nil: always draft
    /// with n-gram, 32 with suffix decoding and 4 with a draft model (`batchSizeLimit`).
    public var disableByBatchSize: Int?
    /// Suffix decoding: the trees' depth (match and draft together), the finished requests whose
    /// outputs the global tree keeps (0: none), drafts per matched token, and the lowest estimated
    /// probability of a drafted token (`suffix_decoding_*`, vLLM's defaults).
    public var suffixDecodingMaxTreeDepth = 24
    public var suffixDecodingMaxCachedRequests = 10000
    public var suffixDecodingMaxSpecFactor = 1.0
    public var suffixDecodingMinTokenProb = 0.1

    public init(method: Method = .ngram, model: String? = nil, numSpeculativeTokens: Int, promptLookupMax: Int = 5,
                promptLookupMin: Int = 5, disableByBatchSize: Int? = nil) {
        self.method = method
        self.model = model
        self.numSpeculativeTokens = numSpeculativeTokens
        self.promptLookupMax = promptLookupMax
        self.promptLookupMin = promptLookupMin
        self.disableByBatchSize = disableByBatchSize
    }

    /// The most draft tokens per request and step (and suffix tree depth) this engine takes: each
    /// costs a logits row per running request.
    public static let maxNumSpeculativeTokens = 1024

    /// Drafts stop from this many running requests on: `disableByBatchSize`, else 4 for a draft
    /// model, whose passes cost about what the target's do once a batch is compute-bound (F16
    /// target, Q4_1 draft, k = 4, `bench throughput --temperature 0`, AMD EPYC, 2 threads: 102
    /// against 84 output tok/s at 2 requests, 100 against 139 at 4, 83 against 163 at 64), and 32
    /// for suffix decoding, whose drafts of up to 24 tokens fill a compute-bound step's budget (64
    /// requests, `bench throughput`: 169 against 193 output tok/s); nil: no limit.
    public var batchSizeLimit: Int? {
        disableByBatchSize ?? (method == .draftModel ? 4 : method == .suffix ? 32 : nil)
    }

    /// The configuration in `json` (the `--speculative-config` argument), validated.
    public static func parse(json: String) throws(EngineCoreError) -> SpeculativeConfig {
        let fields: SpeculativeConfigFields
        do {
            fields = try JSONDecoder().decode(SpeculativeConfigFields.self, from: Data(json.utf8))
        } catch let error as SpeculativeConfigFields.Refusal {
            throw .invalidConfig("--speculative-config: \(error.message)")
        } catch {
            throw .invalidConfig("--speculative-config must be a JSON object with vLLM's fields (\(error))")
        }
        return try fields.config()
    }

    /// Checks the sizes (vLLM's rules).
    public func validate() throws(EngineCoreError) {
        guard (1...Self.maxNumSpeculativeTokens).contains(numSpeculativeTokens) else {
            throw .invalidConfig("--speculative-config: num_speculative_tokens must be in 1...\(Self.maxNumSpeculativeTokens) (got \(numSpeculativeTokens))")
        }
        guard promptLookupMin >= 1, promptLookupMax >= 1, promptLookupMin <= promptLookupMax else {
            throw .invalidConfig("--speculative-config: prompt_lookup_min (\(promptLookupMin)) and prompt_lookup_max (\(promptLookupMax)) must be at least 1, min <= max")
        }
        if let disableByBatchSize, disableByBatchSize < 2 {
            throw .invalidConfig("--speculative-config: disable_by_batch_size must be at least 2 (got \(disableByBatchSize))")
        }
        guard (1...Self.maxNumSpeculativeTokens).contains(suffixDecodingMaxTreeDepth), suffixDecodingMaxCachedRequests >= 0,
              suffixDecodingMaxSpecFactor > 0, suffixDecodingMaxSpecFactor <= 1e6, (0...1).contains(suffixDecodingMinTokenProb) else {
            throw .invalidConfig("--speculative-config: suffix_decoding_max_tree_depth must be in 1...\(Self.maxNumSpeculativeTokens), suffix_decoding_max_cached_requests at least 0, suffix_decoding_max_spec_factor in (0, 1e6] and suffix_decoding_min_token_prob in 0...1")
        }
        switch method {
        case .ngram where model != nil, .suffix where model != nil:
            throw .invalidConfig("--speculative-config: the \(method.rawValue) method takes no draft model (got \"model\": \"\(model ?? "")\")")
        case .draftModel where (model ?? "").isEmpty:
            throw .invalidConfig("--speculative-config: the draft_model method needs \"model\": the draft model's path")
        default: break
        }
    }
}

/// The JSON object as written, every key this engine knows; any other key is a refusal.
struct SpeculativeConfigFields: Decodable {
    struct Refusal: Error { var message: String }

    var method: String?
    var model: String?
    var numSpeculativeTokens: Int?
    var promptLookupMax: Int?
    var promptLookupMin: Int?
    var disableByBatchSize: Int?
    var suffixDecodingMaxTreeDepth: Int?
    var suffixDecodingMaxCachedRequests: Int?
    var suffixDecodingMaxSpecFactor: Double?
    var suffixDecodingMinTokenProb: Double?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Keys read here; vLLM's others are refused with their name.
    static let known = Set(["method", "model", "num_speculative_tokens", "prompt_lookup_max",
                            "prompt_lookup_min", "disable_by_batch_size"] + suffixKeys)
    static let suffixKeys = ["suffix_decoding_max_tree_depth", "suffix_decoding_max_cached_requests",
                             "suffix_decoding_max_spec_factor", "suffix_decoding_min_token_prob"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !Self.known.contains($0) }) {
            throw Refusal(message: "the field \"\(unknown)\" is not supported (supported: \(Self.known.sorted().joined(separator: ", ")))")
        }
        method = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "method"))
        model = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "model"))
        numSpeculativeTokens = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "num_speculative_tokens"))
        promptLookupMax = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "prompt_lookup_max"))
        promptLookupMin = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "prompt_lookup_min"))
        disableByBatchSize = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: "disable_by_batch_size"))
        suffixDecodingMaxTreeDepth = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: Self.suffixKeys[0]))
        suffixDecodingMaxCachedRequests = try container.decodeIfPresent(Int.self, forKey: Key(stringValue: Self.suffixKeys[1]))
        suffixDecodingMaxSpecFactor = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: Self.suffixKeys[2]))
        suffixDecodingMinTokenProb = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: Self.suffixKeys[3]))
        if let key = container.allKeys.map(\.stringValue).sorted().first(where: Self.suffixKeys.contains),
           method != SpeculativeConfig.Method.suffix.rawValue {
            throw Refusal(message: "\(key) applies to \"method\": \"suffix\" only")
        }
    }

    /// The validated configuration (vLLM's defaults filled in).
    func config() throws(EngineCoreError) -> SpeculativeConfig {
        // vLLM accepts the method in "model" too ("[ngram]" is its older spelling); a "model" that
        // names no method is a draft model's path
        let ngramNames = ["ngram", "[ngram]"]
        let name = method ?? model.map { ngramNames.contains($0) ? "ngram" : "draft_model" }
        guard let name else {
            throw .invalidConfig("--speculative-config: \"method\" or \"model\" is required (supported: ngram, suffix, draft_model)")
        }
        guard let method = SpeculativeConfig.Method(rawValue: name == "[ngram]" ? "ngram" : name) else {
            throw .invalidConfig("--speculative-config: the method \"\(name)\" is not implemented (supported: ngram, suffix, draft_model)")
        }
        let draftPath = method == .ngram && model.map(ngramNames.contains) == true ? nil : model
        if method != .ngram, promptLookupMax != nil || promptLookupMin != nil {
            throw .invalidConfig("--speculative-config: prompt_lookup_max and prompt_lookup_min apply to \"method\": \"ngram\" only")
        }
        // suffix decoding drafts up to the tree depth unless told (vLLM)
        guard let numSpeculativeTokens = numSpeculativeTokens ?? (method == .suffix ? suffixDecodingMaxTreeDepth ?? 24 : nil) else {
            throw .invalidConfig("--speculative-config: num_speculative_tokens is required")
        }
        var config = SpeculativeConfig(method: method, model: draftPath, numSpeculativeTokens: numSpeculativeTokens,
                                       promptLookupMax: promptLookupMax ?? promptLookupMin ?? 5,
                                       promptLookupMin: promptLookupMin ?? promptLookupMax ?? 5,
                                       disableByBatchSize: disableByBatchSize)
        if let suffixDecodingMaxTreeDepth { config.suffixDecodingMaxTreeDepth = suffixDecodingMaxTreeDepth }
        if let suffixDecodingMaxCachedRequests { config.suffixDecodingMaxCachedRequests = suffixDecodingMaxCachedRequests }
        if let suffixDecodingMaxSpecFactor { config.suffixDecodingMaxSpecFactor = suffixDecodingMaxSpecFactor }
        if let suffixDecodingMinTokenProb { config.suffixDecodingMinTokenProb = suffixDecodingMinTokenProb }
        try config.validate()
        return config
    }
}
