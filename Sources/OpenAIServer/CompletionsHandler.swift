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
        try context.checkPromptLogprobs(fields)
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
        let (request, prompts, params, id, ids) = (prepared.request, prepared.prompts, prepared.params, prepared.id, prepared.requestIDs)
        let fields = request.sampling
        try await context.compileConstraint(params)
        try context.checkCapacity()
        context.logReceived(ids: ids, prompts: prompts, params: params)
        let transfer = await KVTransferRequest.transfer(prepared.transfer, prompt: prompts[0], requestID: ids[0], context: context)
        let merger = OutputMerger(engine: context.engine, metrics: context.metrics, prompts: prompts, params: params, requestIDs: ids,
                                  priority: fields.priority ?? 0, cacheSalt: fields.cacheSalt, transfer: transfer)
        merger.abortOnDisconnect(watcher)
        let echo = request.echo ?? false
        let created = Int(Date().timeIntervalSince1970)
        let model = context.options.servedModelName
        let n = params.n
        if fields.stream ?? false {
            var chunks = CompletionStreamChunks(id: id, created: created, model: model, n: n,
                                                includeUsage: fields.streamOptions?.includeUsage ?? false,
                                                echoTexts: echo ? prompts.map(promptText) : [], tokenText: context.tokenText)
            chunks.continuousUsage = fields.streamOptions?.continuousUsage ?? false
            let stream = chunks
            return SSE.response(merger: merger) { event in
                guard case .output(let promptIndex, let output) = event else { return [] }
                return stream.chunks(promptIndex: promptIndex, output: output)
            } trailer: { finals in
                stream.trailer(finals)
            }
        }
        let finals: [RequestOutput]
        do { finals = try await merger.collect() } catch { throw APIError.badRequest("\(error)") }
        var response = CompletionResponse(id: id, created: created, model: model, outputs: finals, n: n,
                                          promptTexts: echo ? finals.map { promptText($0.promptTokenIDs) } : nil,
                                          tokenText: context.tokenText)
        response.kvTransferParams = Nullable(KVTransferResponseParams(output: finals.first, connector: context.kvConnector))
        return JSONResponse.make(ResponseJSON.bytes(response))
    }

    private func promptText(_ ids: [Int]) -> String {
        (try? context.tokenizer.decode(ids)) ?? ""
    }
}
