import Engine
import Foundation
import Hummingbird
import SwiftletJSON

/// `POST /v1/completions`.
struct CompletionsHandler {
    let context: ServingContext
    /// The `X-Request-Id` header, which names the request ahead of the body's `request_id` (as vLLM).
    var headerRequestID: String?

    /// A request decoded, checked and tokenized: what `/v1/completions` runs and
    /// `/v1/completions/render` returns without running it.
    struct Prepared {
        var request: CompletionRequest
        var prompts: [[Int]]
        var params: SamplingParams
        /// The response's id, and one engine request id per prompt.
        var id: String
        var requestIDs: [String]
        /// `kv_transfer_params` (prefill/decode disaggregation), checked against the connector.
        var transfer: KVTransferParams?
    }

    /// Decodes and checks `body`, tokenizes its prompts and builds their sampling parameters.
    func prepare(body: Data) throws -> Prepared {
        let request: CompletionRequest
        let structured: StructuredOutputsParams?
        let transfer: KVTransferParams?
        do {
            let decoded = try RequestDecoding.decodeWithObject(CompletionRequest.self, from: body, endpoint: .completions)
            request = decoded.request
            structured = try StructuredOutputsRequest.params(from: decoded.object, defaults: context.options.structuredOutputs)
            transfer = try KVTransferRequest.read(from: decoded.object, connector: context.kvConnector)
        } catch let error as APIError { throw error } catch { throw APIError.decoding(error) }
        try context.checkModel(request.model)
        let fields = request.sampling
        try context.checkFields(fields)
        if request.prompt.count > ServingContext.maxPrompts {
            throw APIError.badRequest("prompt list length \(request.prompt.count) exceeds the maximum allowed count of \(ServingContext.maxPrompts)", param: "prompt")
        }
        let prompts: [[Int]]
        switch request.prompt {
        case .texts(let texts):
            prompts = texts.map { context.tokenizer.encode($0, addSpecialTokens: request.addSpecialTokens ?? true, parseSpecial: true) }
        case .tokens(let lists):
            for ids in lists.joined() where ids < 0 || ids >= context.vocabSize {
                throw APIError.badRequest("prompt token id \(ids) is out of range [0, \(context.vocabSize))", param: "prompt")
            }
            prompts = lists
        }
        guard !prompts.isEmpty else { throw APIError.badRequest("prompt must not be empty", param: "prompt") }
        if let logprobs = request.logprobs, logprobs < 0 {
            throw APIError.badRequest("logprobs must be non-negative, got \(logprobs)", param: "logprobs")
        }
        var params = SamplingParams()
        for prompt in prompts {
            guard !prompt.isEmpty else { throw APIError.badRequest("prompt must not be empty", param: "prompt") }
            params = try context.samplingParams(fields, maxTokens: fields.maxTokens ?? 16, logprobs: request.logprobs,
                                                promptLen: prompt.count, structured: structured)
        }
        let id = headerRequestID ?? fields.requestId ?? "cmpl-\(RequestDecoding.randomID())"
        let ids = prompts.indices.map { prompts.count == 1 ? id : "\(id)-\($0)" }
        if transfer != nil && (prompts.count > 1 || params.n > 1 || params.truncatePromptTokens != nil) {
            throw APIError.badRequest("kv_transfer_params works with one prompt, n = 1 and no truncate_prompt_tokens", param: "kv_transfer_params")
        }
        return Prepared(request: request, prompts: prompts, params: params, id: id, requestIDs: ids, transfer: transfer)
    }

    /// `watcher`: the connection's, to abort the requests when the client goes away.
    func respond(body: Data, watcher: ConnectionWatcher?) async throws -> Response {
        let prepared = try prepare(body: body)
        let fields = prepared.request.sampling
        let merger = try await start(prepared, watcher: watcher)
        guard fields.stream ?? false else {
            return JSONResponse.make(ResponseJSON.bytes(try await response(prepared, merger: merger)))
        }
        let echo = prepared.request.echo ?? false
        var chunks = CompletionStreamChunks(id: prepared.id, created: Int(Date().timeIntervalSince1970),
                                            model: context.options.servedModelName, n: prepared.params.n,
                                            includeUsage: fields.streamOptions?.includeUsage ?? false,
                                            echoTexts: echo ? prepared.prompts.map(promptText) : [], tokenText: context.tokenText)
        chunks.continuousUsage = fields.streamOptions?.continuousUsage ?? false
        let stream = chunks
        return SSE.response(merger: merger) { event in
            guard case .output(let promptIndex, let output) = event else { return [] }
            return stream.chunks(promptIndex: promptIndex, output: output)
        } trailer: { finals in
            stream.trailer(finals)
        }
    }

    /// The whole response of a request that does not stream (`run-batch` lines).
    func complete(body: Data) async throws -> CompletionResponse {
        let prepared = try prepare(body: body)
        guard !(prepared.request.sampling.stream ?? false) else {
            throw APIError.badRequest("Request must not be sent in stream mode", param: "stream")
        }
        return try await response(prepared, merger: try await start(prepared, watcher: nil))
    }

    private func start(_ prepared: Prepared, watcher: ConnectionWatcher?) async throws -> OutputMerger {
        try await context.start(prompts: prepared.prompts, requestIDs: prepared.requestIDs, params: prepared.params,
                                fields: prepared.request.sampling, transfer: prepared.transfer, watcher: watcher)
    }

    /// Waits for every output of `merger` and builds the response body.
    private func response(_ prepared: Prepared, merger: OutputMerger) async throws -> CompletionResponse {
        let created = Int(Date().timeIntervalSince1970)
        let finals = try await merger.collect()
        let echo = prepared.request.echo ?? false
        var response = CompletionResponse(id: prepared.id, created: created, model: context.options.servedModelName,
                                          outputs: finals, n: prepared.params.n,
                                          promptTexts: echo ? finals.map { promptText($0.promptTokenIDs) } : nil,
                                          tokenText: context.tokenText)
        response.kvTransferParams = Nullable(KVTransferResponseParams(output: finals.first, connector: context.kvConnector))
        return response
    }

    private func promptText(_ ids: [Int]) -> String {
        (try? context.tokenizer.decode(ids)) ?? ""
    }
}
