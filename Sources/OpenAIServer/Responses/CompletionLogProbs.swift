import SwiftletJSON

/// The completions API's `logprobs`, in vLLM's field order.
struct CompletionLogProbs: Encodable, Sendable {
    var textOffset: [Int] = []
    var tokenLogprobs: [Nullable<Double>] = []
    var tokens: [String] = []
    var topLogprobs: [Nullable<TopLogprobsByText>] = []

    enum CodingKeys: String, CodingKey {
        case textOffset = "text_offset", tokenLogprobs = "token_logprobs", tokens, topLogprobs = "top_logprobs"
    }
}

/// A position's top alternatives as `{token text: logprob}`, best first. Tokens that spell the
/// same text share one key, at the first one's place with the last one's value (as a Python dict
/// filled in order keeps them).
struct TopLogprobsByText: Encodable, Sendable {
    private(set) var texts: [String] = []
    private(set) var logprobs: [Double] = []

    mutating func set(_ text: String, _ logprob: Double) {
        if let index = texts.firstIndex(of: text) {
            logprobs[index] = logprob
        } else {
            texts.append(text)
            logprobs.append(logprob)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TextKey.self)
        for (text, logprob) in zip(texts, logprobs) { try container.encode(logprob, forKey: TextKey(text)) }
    }
}

/// A key that is any text (token texts, token ids as strings).
struct TextKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ text: String) { stringValue = text }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
