import Foundation
import SwiftletJSON

/// `POST /v1/responses`, decoded with snake_case keys. `tools`, `tool_choice` and `text.format`'s
/// schema are read from the body as JSON values when the request becomes a chat request.
struct ResponsesRequest: Decodable, Sendable {
    var model: String?
    var input: ResponseInput
    var instructions: String?
    var maxOutputTokens: Int?
    var temperature: Double?
    var topP: Double?
    var stream: Bool?
    /// Keep the response for `previous_response_id` and `GET /v1/responses/{id}` (default true).
    var store: Bool?
    var previousResponseId: String?
    var text: ResponseTextConfig?
    var metadata: [String: String]?
    var user: String?
    var parallelToolCalls: Bool?
    // vLLM's extra sampling fields.
    var topK: Int?
    var minP: Double?
    var repetitionPenalty: Double?
    var seed: Int?
    var priority: Int?
    var cacheSalt: String?
    var requestId: String?
}

/// `input`: a string (one user message) or a list of items.
enum ResponseInput: Decodable, Sendable {
    case text(String)
    case items([ResponseInputItem])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .items(try container.decode([ResponseInputItem].self))
        }
    }
}

/// One input item: a message (`role` and `content`), a function call the model made before, or
/// the output of such a call.
enum ResponseInputItem: Decodable, Sendable, Equatable {
    case message(role: String, text: String)
    case functionCall(callId: String, name: String, arguments: String)
    case functionCallOutput(callId: String, output: String)
    /// A reasoning item of an earlier output sent back with it: not part of the prompt.
    case reasoning

    enum CodingKeys: String, CodingKey {
        // The decoder converts snake_case keys (call_id) to camelCase before matching.
        case type, role, content, callId, name, arguments, output
    }

    /// The roles a message item may have.
    static let roles: Set<String> = ["user", "system", "developer", "assistant"]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decodeIfPresent(String.self, forKey: .type) ?? "message"
        switch type {
        case "message":
            let role = try container.decode(String.self, forKey: .role)
            guard Self.roles.contains(role) else {
                throw DecodingError.dataCorruptedError(forKey: .role, in: container,
                                                       debugDescription: "role must be user, system, developer or assistant, got '\(role)'")
            }
            let text: String
            if let plain = try? container.decode(String.self, forKey: .content) {
                text = plain
            } else {
                text = try container.decode([ResponseContentPart].self, forKey: .content).map(\.text).joined()
            }
            self = .message(role: role, text: text)
        case "function_call":
            self = .functionCall(callId: try container.decode(String.self, forKey: .callId),
                                 name: try container.decode(String.self, forKey: .name),
                                 arguments: try container.decode(String.self, forKey: .arguments))
        case "reasoning":
            self = .reasoning
        case "function_call_output":
            self = .functionCallOutput(callId: try container.decode(String.self, forKey: .callId),
                                       output: try container.decode(String.self, forKey: .output))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "input items of type '\(type)' are not supported (message, function_call, function_call_output and reasoning are)")
        }
    }
}

/// A text part of a message's content (`input_text`, `output_text` or `text`).
struct ResponseContentPart: Decodable, Sendable {
    var text: String

    enum CodingKeys: String, CodingKey { case type, text }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard ["input_text", "output_text", "text"].contains(type) else {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "content parts of type '\(type)' are not supported; this model reads text only")
        }
        text = try container.decode(String.self, forKey: .text)
    }
}

/// `text`: the answer's format.
struct ResponseTextConfig: Decodable, Sendable {
    var format: ResponseTextFormat?
}

/// `text.format`: `text`, `json_object` or `json_schema` (its `schema` read from the body).
struct ResponseTextFormat: Decodable, Sendable {
    var type: String
    var name: String?
    var strict: Bool?
}
