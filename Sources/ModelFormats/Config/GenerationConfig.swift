import Foundation

/// A Hugging Face generation_config.json: the model author's default sampling settings.
/// Every field is optional; absent means "use the engine's default".
public struct GenerationConfig: Codable, Sendable, Equatable {
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    public var minP: Double?
    public var repetitionPenalty: Double?
    public var doSample: Bool?
    public var maxNewTokens: Int?
    public var bosTokenID: Int?
    /// One id or a list in the file.
    public var eosTokenID: TokenIDList?
    public var padTokenID: Int?

    enum CodingKeys: String, CodingKey {
        case temperature, topP = "top_p", topK = "top_k", minP = "min_p"
        case repetitionPenalty = "repetition_penalty", doSample = "do_sample"
        case maxNewTokens = "max_new_tokens", bosTokenID = "bos_token_id"
        case eosTokenID = "eos_token_id", padTokenID = "pad_token_id"
    }

    public init(temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, minP: Double? = nil,
                repetitionPenalty: Double? = nil, doSample: Bool? = nil, maxNewTokens: Int? = nil,
                bosTokenID: Int? = nil, eosTokenID: TokenIDList? = nil, padTokenID: Int? = nil) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.doSample = doSample
        self.maxNewTokens = maxNewTokens
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.padTokenID = padTokenID
    }

    /// Decodes and range-checks generation_config.json bytes; `path` names the file in errors.
    public init(json data: Data, path: String) throws {
        do {
            self = try JSONDecoder().decode(GenerationConfig.self, from: data)
        } catch {
            throw ModelConfigError.from(error, file: path)
        }
        try validate(file: path)
    }

    /// Reads generation_config.json.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelConfigError.io(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        try self.init(json: data, path: url.path)
    }

    private func validate(file: String) throws {
        func check(_ value: Double?, _ field: String, _ ok: (Double) -> Bool, _ reason: String) throws {
            if let value, !(ok(value) && value.isFinite) {
                throw ModelConfigError.invalidValue(file: file, field: field, value: "\(value)", reason: reason)
            }
        }
        try check(temperature, "temperature", { $0 >= 0 }, "must be >= 0")
        try check(topP, "top_p", { $0 > 0 && $0 <= 1 }, "must be in (0, 1]")
        try check(minP, "min_p", { $0 >= 0 && $0 <= 1 }, "must be in [0, 1]")
        try check(repetitionPenalty, "repetition_penalty", { $0 > 0 }, "must be > 0")
        if let topK, topK < 0 {
            throw ModelConfigError.invalidValue(file: file, field: "top_k", value: "\(topK)", reason: "must be >= 0 (0 disables)")
        }
        if let maxNewTokens, maxNewTokens <= 0 {
            throw ModelConfigError.invalidValue(file: file, field: "max_new_tokens", value: "\(maxNewTokens)", reason: "must be positive")
        }
    }
}
