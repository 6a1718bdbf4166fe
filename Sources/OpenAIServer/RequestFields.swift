import Foundation

/// A prompt as `/v1/completions` takes it: a string, strings, token ids, or lists of token ids.
public enum PromptInput: Decodable, Sendable, Equatable {
    case texts([String])
    case tokens([[Int]])

    /// How many prompts.
    public var count: Int {
        switch self {
        case .texts(let texts): return texts.count
        case .tokens(let lists): return lists.count
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .texts([text])
        } else if let texts = try? container.decode([String].self) {
            self = .texts(texts)
        } else if let ids = try? container.decode([Int].self) {
            self = .tokens([ids])
        } else if let lists = try? container.decode([[Int]].self) {
            self = .tokens(lists)
        } else {
            throw DecodingError.typeMismatch(PromptInput.self, .init(
                codingPath: decoder.codingPath,
                debugDescription: "expected a string, a list of strings, a list of token ids or a list of them"))
        }
    }
}

/// `stop`: one string or a list of them.
public struct StopList: Decodable, Sendable, Equatable {
    public var values: [String]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }
}

/// `stream_options`.
public struct StreamOptions: Decodable, Sendable, Equatable {
    public var includeUsage: Bool?
    /// With `include_usage`: every chunk carries the usage so far (vLLM's extra option).
    public var continuousUsageStats: Bool?

    /// Usage on every chunk: asked for together with `include_usage`, as vLLM reads it.
    public var continuousUsage: Bool { (includeUsage ?? false) && (continuousUsageStats ?? false) }
}

/// The sampling fields `/v1/completions` and `/v1/chat/completions` share (OpenAI's and vLLM's extras),
/// decoded with snake_case keys.
public struct SamplingFields: Decodable, Sendable {
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var n: Int?
    public var stop: StopList?
    public var seed: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var logitBias: [String: Double]?
    public var user: String?
    public var stream: Bool?
    public var streamOptions: StreamOptions?
    public var topK: Int?
    public var minP: Double?
    public var repetitionPenalty: Double?
    public var minTokens: Int?
    public var ignoreEos: Bool?
    public var stopTokenIds: [Int]?
    public var includeStopStrInOutput: Bool?
    public var skipSpecialTokens: Bool?
    public var spacesBetweenSpecialTokens: Bool?
    public var promptLogprobs: Int?
    public var allowedTokenIds: [Int]?
    public var badWords: [String]?
    public var priority: Int?
    public var cacheSalt: String?
    public var requestId: String?
    public var truncatePromptTokens: Int?
}
