import ChatTemplates
import Foundation
import SwiftletTokenizers

/// One chat message as clients send it.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// A model's chat template together with the special-token strings it is rendered with.
///
/// Rendering follows Hugging Face `apply_chat_template`: `messages`, `add_generation_prompt`,
/// `bos_token` and `eos_token` are passed in; the rendered text is then tokenized without
/// adding BOS/EOS again (the template writes them itself).
public struct ChatPromptTemplate: Sendable {
    public let template: ChatTemplate
    public let source: String

    public init(source: String) throws {
        self.source = source
        self.template = try ChatTemplate(source: source)
    }

    /// Renders `messages` (role/content pairs).
    public func render(messages: [ChatMessage], tokenizer: Tokenizer, addGenerationPrompt: Bool) throws -> String {
        let values = messages.map { TemplateValue(message: ["role": .string($0.role), "content": .string($0.content)]) }
        return try render(messages: values, tokenizer: tokenizer, addGenerationPrompt: addGenerationPrompt)
    }

    /// Renders messages already in template values (content parts, tool calls), with optional tools.
    public func render(messages: [TemplateValue], tools: [TemplateValue]? = nil, tokenizer: Tokenizer,
                       addGenerationPrompt: Bool, extra: [String: TemplateValue] = [:]) throws -> String {
        try template.render(messages: messages, tools: tools, addGenerationPrompt: addGenerationPrompt,
                            bosToken: tokenizer.bosTokenID.flatMap(tokenizer.tokenText) ?? "",
                            eosToken: tokenizer.eosTokenID.flatMap(tokenizer.tokenText) ?? "",
                            extra: extra)
    }
}

extension ModelFiles {
    /// The model's chat template, or the Jinja file at `overridePath` (as vLLM's `--chat-template`).
    /// Throws when neither exists: like vLLM, no default template is made up.
    public func chatTemplate(overridePath: String? = nil) throws -> ChatPromptTemplate {
        if let overridePath {
            guard let data = FileManager.default.contents(atPath: overridePath) else {
                throw ModelLoadError.notFound(path: overridePath)
            }
            return try ChatPromptTemplate(source: String(decoding: data, as: UTF8.self))
        }
        guard let source = chatTemplateSource else {
            throw ModelLoadError.noChatTemplate(path: path)
        }
        return try ChatPromptTemplate(source: source)
    }
}
