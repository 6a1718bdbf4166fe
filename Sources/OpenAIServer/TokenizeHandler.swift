import Foundation
import SwiftletJSON
import Hummingbird

/// `POST /tokenize` and `POST /detokenize`, as vLLM.
struct TokenizeHandler {
    let context: ServingContext

    struct TokenizeRequest: Decodable {
        var model: String?
        var prompt: String?
        var messages: [ChatMessageInput]?
        var addSpecialTokens: Bool?
        var addGenerationPrompt: Bool?
        var continueFinalMessage: Bool?
    }

    struct DetokenizeRequest: Decodable {
        var model: String?
        var tokens: [Int]
    }

    func tokenize(body: Data) throws -> Response {
        let request: TokenizeRequest
        let object: JSONObject
        do {
            (request, object) = try RequestDecoding.decodeWithObject(TokenizeRequest.self, from: body)
        } catch let error as APIError { throw error } catch { throw APIError.decoding(error) }
        try context.checkModel(request.model)
        let tokens: [Int]
        if let messages = request.messages {
            // Tools render into the prompt as they would for a chat request with them.
            let tools = try ToolsRequest.read(from: JSONObject(members: object.filter { $0.key != "tool_choice" }), autoEnabled: true)
            tokens = try ChatPromptBuilder(context: context).tokens(
                messages: messages, rawMessages: object["messages"]?.arrayValue, tools: tools?.templateTools,
                addGenerationPrompt: request.addGenerationPrompt,
                continueFinalMessage: request.continueFinalMessage, addSpecialTokens: request.addSpecialTokens)
        } else if let prompt = request.prompt {
            tokens = context.tokenizer.encode(prompt, addSpecialTokens: request.addSpecialTokens ?? true, parseSpecial: true)
        } else {
            throw APIError.badRequest("give either 'prompt' or 'messages'", param: "prompt")
        }
        return JSONResponse.make(ResponseJSON.bytes(TokenizeResponse(count: tokens.count, maxModelLen: context.maxModelLen,
                                                                     tokens: tokens)))
    }

    func detokenize(body: Data) throws -> Response {
        let request: DetokenizeRequest
        do { request = try RequestDecoding.decode(DetokenizeRequest.self, from: body) } catch let error as APIError { throw error } catch { throw APIError.decoding(error) }
        try context.checkModel(request.model)
        for id in request.tokens where id < 0 || id >= context.vocabSize {
            throw APIError.badRequest("token id \(id) is out of range [0, \(context.vocabSize))", param: "tokens")
        }
        let text: String
        do { text = try context.tokenizer.decode(request.tokens) } catch { throw APIError.badRequest("\(error)", param: "tokens") }
        return JSONResponse.make(ResponseJSON.bytes(DetokenizeResponse(prompt: text)))
    }
}
