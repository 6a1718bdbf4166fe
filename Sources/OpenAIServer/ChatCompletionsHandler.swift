import ChatTemplates
import Engine
import Foundation
import Hummingbird
import SwiftletJSON

/// `POST /v1/chat/completions`.
struct ChatCompletionsHandler {
    let context: ServingContext

    /// `watcher`: the connection's, to abort the requests when the client goes away.
    func respond(body: Data, watcher: ConnectionWatcher?) async throws -> Response {
        let request: ChatCompletionRequest
        var structured: StructuredOutputsParams?
        let tools: ToolsRequest?
        let rawMessages: [JSONValue]?
        do {
            let decoded = try RequestDecoding.decodeWithObject(ChatCompletionRequest.self, from: body, endpoint: .chat)
            request = decoded.request
            structured = try StructuredOutputsRequest.params(from: decoded.object)
            tools = try ToolsRequest.read(from: decoded.object, autoEnabled: context.autoToolCalls != nil)
            rawMessages = decoded.object["messages"]?.arrayValue
        } catch let error as APIError { throw error } catch { throw APIError.decoding(error) }
        if let tools, tools.forcesCalls {
            guard structured == nil else {
                throw APIError.badRequest("You can only either use constraints for structured outputs or tools, not both.", param: "tool_choice")
            }
            structured = try ToolCallSchema.constraint(for: tools)
        }
        try context.checkModel(request.model)
        let fields = request.sampling
        try context.checkPromptLogprobs(fields)
        let prompt = try ChatPromptBuilder(context: context).tokens(
            messages: request.messages, rawMessages: rawMessages, tools: tools?.templateTools,
            addGenerationPrompt: request.addGenerationPrompt,
            continueFinalMessage: request.continueFinalMessage, addSpecialTokens: request.addSpecialTokens)
        var logprobs: Int?
        if request.logprobs ?? false {
            logprobs = request.topLogprobs ?? 0
        } else if let top = request.topLogprobs, top > 0 {
            throw APIError.badRequest("top_logprobs needs logprobs set to true", param: "top_logprobs")
        }
        if let top = request.topLogprobs, top < 0 {
            throw APIError.badRequest("top_logprobs must be non-negative, got \(top)", param: "top_logprobs")
        }
        var params = try context.samplingParams(fields, maxTokens: request.maxCompletionTokens ?? fields.maxTokens,
                                                logprobs: logprobs, promptLen: prompt.count, structured: structured)
        if tools?.choice == .auto, context.autoToolCalls?.keepsSpecialTokens == true { params.skipSpecialTokens = false }
        try context.checkCapacity()
        let id = fields.requestId.map { "chatcmpl-\($0)" } ?? "chatcmpl-\(RequestDecoding.randomID())"
        let merger = OutputMerger(engine: context.engine, metrics: context.metrics, prompts: [prompt], params: params, requestIDs: [id],
                                  priority: fields.priority ?? 0, cacheSalt: fields.cacheSalt)
        merger.abortOnDisconnect(watcher)
        let created = Int(Date().timeIntervalSince1970)
        let model = context.options.servedModelName
        if fields.stream ?? false {
            var chunks = ChatStreamChunks(id: id, created: created, model: model, n: params.n,
                                          includeUsage: fields.streamOptions?.includeUsage ?? false,
                                          tokenText: context.tokenText)
            chunks.toolStreams = tools.map { ChatChoiceStreams(tools: $0, auto: context.autoToolCalls) }
            let stream = chunks
            let firstChunks = stream.roleChunks()
            let sentFirst = SentFlag()
            return SSE.response(merger: merger) { event in
                var chunks: [[UInt8]] = sentFirst.set() ? firstChunks : []
                guard case .output(_, let output) = event else { return chunks }
                chunks += stream.chunks(for: output)
                return chunks
            } trailer: { finals in
                stream.trailer(finals)
            }
        }
        let finals: [RequestOutput]
        do { finals = try await merger.collect() } catch { throw APIError.badRequest("\(error)") }
        let response = ChatCompletionResponse(id: id, created: created, model: model, output: finals.first,
                                              tokenText: context.tokenText, tools: tools, auto: context.autoToolCalls)
        return JSONResponse.make(ResponseJSON.bytes(response))
    }
}

/// A flag set once, safe to share with the response task.
final class SentFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    /// True the first time only.
    func set() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if done { return false }
        done = true
        return true
    }
}
