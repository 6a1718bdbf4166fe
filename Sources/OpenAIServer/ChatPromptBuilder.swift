import ChatTemplates
import Engine
import Foundation
import SwiftletJSON

/// Renders chat messages through the model's chat template and tokenizes the prompt.
struct ChatPromptBuilder {
    let context: ServingContext

    /// `rawMessages`: the request's `messages` as JSON (for assistant tool calls and reasoning);
    /// `tools`: the request's tools as the template sees them.
    func text(messages: [ChatMessageInput], rawMessages: [JSONValue]? = nil, tools: [TemplateValue]? = nil,
              extra: [String: TemplateValue] = [:], addGenerationPrompt: Bool?, continueFinalMessage: Bool?) throws -> String {
        guard let template = context.chatTemplate else {
            throw APIError.badRequest("this model has no chat template; start the server with --chat-template FILE")
        }
        guard !messages.isEmpty else { throw APIError.badRequest("messages must not be empty", param: "messages") }
        let continueFinal = continueFinalMessage ?? false
        let addPrompt = addGenerationPrompt ?? !continueFinal
        if continueFinal && addPrompt {
            throw APIError.badRequest("continue_final_message and add_generation_prompt cannot both be true", param: "continue_final_message")
        }
        let allowed: Set<String> = ["system", "user", "assistant", "tool", "developer"]
        var values: [TemplateValue] = []
        for (index, message) in messages.enumerated() {
            guard allowed.contains(message.role) else {
                throw APIError.badRequest("messages[\(index)].role must be system, user, assistant or tool, got '\(message.role)'", param: "messages[\(index)].role")
            }
            values.append(try ChatMessageValues.value(message, raw: rawMessages?[safe: index], index: index))
        }
        var rendered: String
        do {
            rendered = try template.render(messages: values, tools: tools, tokenizer: context.tokenizer, addGenerationPrompt: addPrompt,
                                           extra: extra)
        } catch {
            throw APIError.badRequest("the chat template failed: \(error)", param: "messages")
        }
        if continueFinal, let last = messages.last?.content?.text, !last.isEmpty,
           let range = rendered.range(of: last, options: .backwards) {
            rendered = String(rendered[..<range.upperBound])
        }
        return rendered
    }

    func tokens(messages: [ChatMessageInput], rawMessages: [JSONValue]? = nil, tools: [TemplateValue]? = nil,
                extra: [String: TemplateValue] = [:], addGenerationPrompt: Bool?, continueFinalMessage: Bool?,
                addSpecialTokens: Bool?) throws -> [Int] {
        try prompt(messages: messages, rawMessages: rawMessages, tools: tools, extra: extra, addGenerationPrompt: addGenerationPrompt,
                   continueFinalMessage: continueFinalMessage, addSpecialTokens: addSpecialTokens).tokens
    }

    /// The rendered prompt and its tokens.
    func prompt(messages: [ChatMessageInput], rawMessages: [JSONValue]? = nil, tools: [TemplateValue]? = nil,
                extra: [String: TemplateValue] = [:], addGenerationPrompt: Bool?, continueFinalMessage: Bool?,
                addSpecialTokens: Bool?) throws -> (text: String, tokens: [Int]) {
        let prompt = try text(messages: messages, rawMessages: rawMessages, tools: tools, extra: extra,
                              addGenerationPrompt: addGenerationPrompt, continueFinalMessage: continueFinalMessage)
        return (prompt, context.tokenizer.encode(prompt, addSpecialTokens: addSpecialTokens ?? false, parseSpecial: true))
    }
}

extension Array {
    /// The element at `index`, nil past the end.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
