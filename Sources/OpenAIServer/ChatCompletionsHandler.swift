import ChatTemplates
import Engine
import Foundation
import Hummingbird
import ReasoningParsers
import SwiftletJSON

/// `POST /v1/chat/completions`.
struct ChatCompletionsHandler {
    let context: ServingContext
    /// The `X-Request-Id` header, which names the request ahead of the body's `request_id` (as vLLM).
    var headerRequestID: String?

    /// A request decoded, checked and rendered: what `/v1/chat/completions` runs and
    /// `/v1/chat/completions/render` returns without running it.
    struct Prepared {
        var request: ChatCompletionRequest
        var prompt: [Int]
        var params: SamplingParams
        var parsing: ChatOutputParsing
        var id: String
        /// `kv_transfer_params` (prefill/decode disaggregation), checked against the connector.
        var transfer: KVTransferParams?
    }

    /// Decodes and checks `body`, renders and tokenizes the conversation and builds the sampling parameters.
    func prepare(body: Data) throws -> Prepared {
        let request: ChatCompletionRequest
        var structured: StructuredOutputsParams?
        let tools: ToolsRequest?
        let rawMessages: [JSONValue]?
        let kwargs: ChatTemplateKwargs
        let includeReasoning: Bool
        let transfer: KVTransferParams?
        do {
            let decoded = try RequestDecoding.decodeWithObject(ChatCompletionRequest.self, from: body, endpoint: .chat)
            request = decoded.request
            structured = try StructuredOutputsRequest.params(from: decoded.object, defaults: context.options.structuredOutputs)
            tools = try ToolsRequest.read(from: decoded.object, autoEnabled: context.autoToolCalls != nil)
            rawMessages = decoded.object["messages"]?.arrayValue
            kwargs = try ChatTemplateKwargs(body: decoded.object)
            includeReasoning = decoded.object["include_reasoning"]?.boolValue ?? true
            transfer = try KVTransferRequest.read(from: decoded.object, connector: context.kvConnector)
        } catch let error as APIError { throw error } catch { throw APIError.decoding(error) }
        if let tools, tools.forcesCalls {
            guard structured == nil else {
                throw APIError.badRequest("You can only either use constraints for structured outputs or tools, not both.", param: "tool_choice")
            }
            structured = try ToolCallSchema.constraint(for: tools)
        } else if let tools, tools.choice == .auto, structured == nil, let auto = context.autoToolCalls {
            // A call the model opens must complete validly (a request's own constraint wins).
            structured = try auto.callConstraint(for: tools)
        }
        try context.checkModel(request.model)
        let fields = request.sampling
        try context.checkFields(fields)
        let rendered = try ChatPromptBuilder(context: context).prompt(
            messages: request.messages, rawMessages: rawMessages, tools: tools?.templateTools, extra: kwargs.values,
            addGenerationPrompt: request.addGenerationPrompt,
            continueFinalMessage: request.continueFinalMessage, addSpecialTokens: request.addSpecialTokens)
        let prompt = rendered.tokens
        let reasoner = context.reasoningParser(enableThinking: kwargs.enableThinking)
        let parsing = ChatOutputParsing(tools: tools, auto: context.autoToolCalls, reasoning: reasoner,
                                        promptEndsReasoning: reasoner?.isReasoningEnd(in: rendered.text) ?? false,
                                        includeReasoning: includeReasoning)
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
        if let reasoner, params.structuredOutputs != nil, !context.options.structuredOutputs.enableInReasoning {
            // The constraint starts once the reasoning ends (vLLM's reasoning-aware structured outputs).
            params.reasoningDelimiters = ReasoningDelimiters(
                startTokenIDs: context.tokenizer.encode(reasoner.startTag, addSpecialTokens: false, parseSpecial: true),
                endTokenIDs: context.tokenizer.encode(reasoner.endTag, addSpecialTokens: false, parseSpecial: true))
        }
        let id = (headerRequestID ?? fields.requestId).map { "chatcmpl-\($0)" } ?? "chatcmpl-\(RequestDecoding.randomID())"
        if transfer != nil && (params.n > 1 || params.truncatePromptTokens != nil) {
            throw APIError.badRequest("kv_transfer_params works with n = 1 and no truncate_prompt_tokens", param: "kv_transfer_params")
        }
        return Prepared(request: request, prompt: prompt, params: params, parsing: parsing, id: id, transfer: transfer)
    }

    /// `watcher`: the connection's, to abort the requests when the client goes away.
    func respond(body: Data, watcher: ConnectionWatcher?) async throws -> Response {
        let prepared = try prepare(body: body)
        let fields = prepared.request.sampling
        let merger = try await start(prepared, watcher: watcher)
        guard fields.stream ?? false else {
            return JSONResponse.make(ResponseJSON.bytes(try await response(prepared, merger: merger)))
        }
        var chunks = ChatStreamChunks(id: prepared.id, created: Int(Date().timeIntervalSince1970),
                                      model: context.options.servedModelName, n: prepared.params.n,
                                      includeUsage: fields.streamOptions?.includeUsage ?? false,
                                      tokenText: context.tokenText)
        chunks.outputStreams = prepared.parsing.isActive ? ChatChoiceStreams(parsing: prepared.parsing) : nil
        if fields.streamOptions?.continuousUsage == true { chunks.continuousUsagePromptTokens = prepared.prompt.count }
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

    /// The whole response of a request that does not stream (`run-batch` lines).
    func complete(body: Data) async throws -> ChatCompletionResponse {
        let prepared = try prepare(body: body)
        guard !(prepared.request.sampling.stream ?? false) else {
            throw APIError.badRequest("Request must not be sent in stream mode", param: "stream")
        }
        return try await response(prepared, merger: try await start(prepared, watcher: nil))
    }

    /// Hands the request to the engine (`ServingContext.start`).
    func start(_ prepared: Prepared, watcher: ConnectionWatcher?) async throws -> OutputMerger {
        try await context.start(prompts: [prepared.prompt], requestIDs: [prepared.id], params: prepared.params,
                                fields: prepared.request.sampling, transfer: prepared.transfer, watcher: watcher)
    }

    /// Waits for every choice of `merger` and builds the response body.
    private func response(_ prepared: Prepared, merger: OutputMerger) async throws -> ChatCompletionResponse {
        response(prepared, finals: try await merger.collect())
    }

    /// The response body of the finished request.
    func response(_ prepared: Prepared, finals: [RequestOutput]) -> ChatCompletionResponse {
        let created = Int(Date().timeIntervalSince1970)
        var response = ChatCompletionResponse(id: prepared.id, created: created, model: context.options.servedModelName,
                                              output: finals.first, tokenText: context.tokenText, parsing: prepared.parsing)
        response.kvTransferParams = Nullable(KVTransferResponseParams(output: finals.first, connector: context.kvConnector))
        return response
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
