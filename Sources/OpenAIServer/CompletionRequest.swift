import Foundation

/// The body of `POST /v1/completions`.
public struct CompletionRequest: Decodable, Sendable {
    public var model: String?
    public var prompt: PromptInput
    public var echo: Bool?
    public var logprobs: Int?
    public var addSpecialTokens: Bool?
    /// The fields shared with chat completions.
    public var sampling: SamplingFields

    enum CodingKeys: String, CodingKey {
        case model, prompt, echo, logprobs, addSpecialTokens
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        prompt = try container.decode(PromptInput.self, forKey: .prompt)
        echo = try container.decodeIfPresent(Bool.self, forKey: .echo)
        logprobs = try container.decodeIfPresent(Int.self, forKey: .logprobs)
        addSpecialTokens = try container.decodeIfPresent(Bool.self, forKey: .addSpecialTokens)
        sampling = try SamplingFields(from: decoder)
    }
}

/// One chat message's content: a string or a list of `{type: text, text}` parts.
public struct MessageContent: Decodable, Sendable {
    public var text: String

    struct Part: Decodable {
        var type: String
        var text: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self.text = text
            return
        }
        let parts = try container.decode([Part].self)
        var text = ""
        for part in parts {
            guard part.type == "text", let partText = part.text else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                    debugDescription: "only content parts of type 'text' with a 'text' field are supported, got '\(part.type)'"))
            }
            text += partText
        }
        self.text = text
    }
}

/// One chat message.
public struct ChatMessageInput: Decodable, Sendable {
    public var role: String
    public var content: MessageContent?
    public var name: String?
    public var toolCallId: String?
}

/// The body of `POST /v1/chat/completions`.
public struct ChatCompletionRequest: Decodable, Sendable {
    public var model: String?
    public var messages: [ChatMessageInput]
    public var maxCompletionTokens: Int?
    public var logprobs: Bool?
    public var topLogprobs: Int?
    public var addGenerationPrompt: Bool?
    public var continueFinalMessage: Bool?
    public var addSpecialTokens: Bool?
    public var sampling: SamplingFields

    enum CodingKeys: String, CodingKey {
        case model, messages, maxCompletionTokens, logprobs, topLogprobs, addGenerationPrompt,
             continueFinalMessage, addSpecialTokens
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        messages = try container.decode([ChatMessageInput].self, forKey: .messages)
        maxCompletionTokens = try container.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        logprobs = try container.decodeIfPresent(Bool.self, forKey: .logprobs)
        topLogprobs = try container.decodeIfPresent(Int.self, forKey: .topLogprobs)
        addGenerationPrompt = try container.decodeIfPresent(Bool.self, forKey: .addGenerationPrompt)
        continueFinalMessage = try container.decodeIfPresent(Bool.self, forKey: .continueFinalMessage)
        addSpecialTokens = try container.decodeIfPresent(Bool.self, forKey: .addSpecialTokens)
        sampling = try SamplingFields(from: decoder)
    }
}
