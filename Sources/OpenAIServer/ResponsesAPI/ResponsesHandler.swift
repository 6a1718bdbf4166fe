import Engine
import Foundation
import Hummingbird
import SwiftletJSON

/// `POST /v1/responses`, `GET /v1/responses/{id}` and `POST /v1/responses/{id}/cancel`. A request
/// runs as the chat completion `ResponsesChatRequest` makes of it (the same checks, template and
/// output parsers); the answer is reshaped into output items.
struct ResponsesHandler {
    let context: ServingContext
    /// The `X-Request-Id` header, which names the request ahead of the body's `request_id`.
    var headerRequestID: String?

    /// A request decoded, checked and rendered.
    struct Prepared {
        var request: ResponsesRequest
        var chat: ChatCompletionsHandler.Prepared
        /// The conversation so far, kept with the answer when the response is stored.
        var conversation: [JSONValue]
        /// The response before it has output: what the stream's first events carry.
        var skeleton: ResponseObject
    }

    /// The ids of the output items, made before the first token so streamed events and the final
    /// response name the same items.
    struct ItemIDs: Sendable {
        var reasoning = "rs_\(RequestDecoding.randomID())"
        var message = "msg_\(RequestDecoding.randomID())"
    }

    func prepare(body: Data) throws -> Prepared {
        let request: ResponsesRequest
        let object: JSONObject
        do {
            (request, object) = try RequestDecoding.decodeWithObject(ResponsesRequest.self, from: body, endpoint: .responses)
        } catch let error as APIError { throw error } catch { throw APIError.decoding(error) }
        var history: [JSONValue] = []
        if let previous = request.previousResponseId {
            guard let entry = context.responseStore.get(previous) else {
                throw Self.notFound(previous, param: "previous_response_id")
            }
            history = entry.conversation
        }
        let converted = try ResponsesChatRequest(request, object: object, history: history)
        let chatBody = Data(try ResponseJSON.encoder.encode(JSONValue.object(converted.body)))
        var chat: ChatCompletionsHandler.Prepared
        do { chat = try ChatCompletionsHandler(context: context).prepare(body: chatBody) } catch let error as APIError {
            throw Self.inResponsesTerms(error)
        }
        if request.stream == true, chat.parsing.tools != nil {
            throw APIError.badRequest("streaming responses with tools is not supported yet; send stream: false", param: "stream")
        }
        chat.id = "resp_\(headerRequestID ?? request.requestId ?? RequestDecoding.randomID())"
        let skeleton = ResponseObject(
            id: chat.id, createdAt: Int(Date().timeIntervalSince1970), status: "in_progress",
            instructions: Nullable(request.instructions), maxOutputTokens: Nullable(request.maxOutputTokens),
            model: context.options.servedModelName, parallelToolCalls: request.parallelToolCalls ?? true,
            previousResponseId: Nullable(request.previousResponseId), store: request.store ?? true,
            temperature: chat.params.temperature, text: object["text"] ?? ["format": ["type": "text"]],
            toolChoice: object["tool_choice"] ?? "auto", tools: object["tools"]?.arrayValue ?? [], topP: chat.params.topP,
            user: Nullable(request.user), metadata: request.metadata ?? [:])
        return Prepared(request: request, chat: chat, conversation: converted.conversation, skeleton: skeleton)
    }

    /// `watcher`: the connection's, to abort the request when the client goes away.
    func respond(body: Data, watcher: ConnectionWatcher?) async throws -> Response {
        let prepared = try prepare(body: body)
        let chatHandler = ChatCompletionsHandler(context: context)
        let merger = try await chatHandler.start(prepared.chat, watcher: watcher)
        let ids = ItemIDs()
        guard prepared.request.stream ?? false else {
            let finals = try await merger.collect()
            return JSONResponse.make(ResponseJSON.bytes(finish(prepared, finals: finals, ids: ids)))
        }
        let events = ResponsesStreamEvents(skeleton: prepared.skeleton, ids: ids,
                                           streams: prepared.chat.parsing.isActive ? ChatChoiceStreams(parsing: prepared.chat.parsing) : nil)
        let opening = events.opening()
        let sentFirst = SentFlag()
        return SSE.response(merger: merger, done: nil) { event in
            var chunks = sentFirst.set() ? opening : []
            if case .output(_, let output) = event { chunks += events.events(for: output) }
            return chunks
        } trailer: { finals in
            events.closing(finish(prepared, finals: finals, ids: ids))
        } failureEvents: { error in
            events.error(error)
        }
    }

    /// The finished response, stored when the request asked for it (the default).
    func finish(_ prepared: Prepared, finals: [RequestOutput], ids: ItemIDs) -> ResponseObject {
        let chat = ChatCompletionsHandler(context: context).response(prepared.chat, finals: finals)
        var response = prepared.skeleton
        let choice = chat.choices.first
        if choice?.finishReason.value == "length" {
            response.status = "incomplete"
            response.incompleteDetails = .some(IncompleteDetails(reason: "max_output_tokens"))
        } else {
            response.status = "completed"
        }
        let message = choice?.message
        let reasoning = message?.reasoning.value ?? ""
        if !reasoning.isEmpty {
            response.output.append(.reasoning(ResponseReasoningItem(id: ids.reasoning, content: [ResponseReasoningText(text: reasoning)],
                                                                    status: "completed")))
        }
        let calls = message?.toolCalls ?? []
        if let content = message?.content.value, !content.isEmpty || calls.isEmpty {
            response.output.append(.message(ResponseOutputMessage(id: ids.message, status: response.status,
                                                                  content: [ResponseOutputText(text: content)])))
        }
        for call in calls {
            response.output.append(.functionCall(ResponseFunctionCallItem(
                id: "fc_\(RequestDecoding.randomID())", callId: call.id, name: call.function.name,
                arguments: call.function.arguments, status: "completed")))
        }
        let reasoningTokens = reasoning.isEmpty ? 0 : context.tokenizer.encode(reasoning, addSpecialTokens: false, parseSpecial: false).count
        response.usage = .some(ResponseUsage(
            inputTokens: chat.usage.promptTokens,
            inputTokensDetails: .init(cachedTokens: finals.first?.numCachedTokens ?? 0),
            outputTokens: chat.usage.completionTokens, outputTokensDetails: .init(reasoningTokens: min(reasoningTokens, chat.usage.completionTokens)),
            totalTokens: chat.usage.totalTokens))
        if response.store {
            var answer: JSONObject = ["role": "assistant", "content": message?.content.value.map { .string($0) } ?? .null]
            if !calls.isEmpty {
                answer.append(.array(calls.map { call in
                    ["id": .string(call.id), "type": "function",
                     "function": ["name": .string(call.function.name), "arguments": .string(call.function.arguments)]]
                }), forKey: "tool_calls")
            }
            context.responseStore.put(.init(response: response, conversation: prepared.conversation + [.object(answer)]))
        }
        return response
    }

    /// `GET /v1/responses/{id}`.
    func retrieve(id: String) throws -> Response {
        guard let entry = context.responseStore.get(id) else { throw Self.notFound(id, param: "response_id") }
        return JSONResponse.make(ResponseJSON.bytes(entry.response))
    }

    /// `POST /v1/responses/{id}/cancel`: only background responses can be cancelled, and there are none.
    func cancel(id: String) throws -> Response {
        guard context.responseStore.get(id) != nil else { throw Self.notFound(id, param: "response_id") }
        throw APIError.badRequest("Cannot cancel a synchronous response.", param: "response_id")
    }

    /// The chat fields a Responses request sets, by their names here.
    static let fieldNames = [("max_tokens", "max_output_tokens"), ("response_format", "text.format"), ("messages", "input")]

    /// An error of the chat request this one ran as, naming the fields the client sent.
    static func inResponsesTerms(_ error: APIError) -> APIError {
        var renamed = error
        for (chat, responses) in fieldNames {
            if let param = renamed.param, param == chat || param.hasPrefix(chat + ".") || param.hasPrefix(chat + "[") {
                renamed.param = responses + param.dropFirst(chat.count)
            }
            renamed.message = renamed.message.replacingOccurrences(of: chat, with: responses)
        }
        return renamed
    }

    static func notFound(_ id: String, param: String) -> APIError {
        APIError(status: 404, message: "Response with id '\(id)' not found.", param: param)
    }
}
