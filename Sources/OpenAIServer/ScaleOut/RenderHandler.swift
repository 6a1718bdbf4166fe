import Foundation
import Hummingbird
import SwiftletJSON

/// `POST /v1/completions/render` and `POST /v1/chat/completions/render`, as vLLM serves them for
/// routers and endpoint pickers: the request checked, rendered and tokenized exactly as the
/// generating endpoint would, returned as token-in requests without running anything. Prefix-aware
/// routers (vllm-router's `cache_aware`, llm-d's precise prefix scorer) call them on every worker
/// before every request, so they stay on the HTTP task: no engine round trip, no grammar compile.
struct RenderHandler {
    let context: ServingContext

    /// A list with one entry per prompt.
    func completions(body: Data) throws -> Response {
        try refuseOffsets(body)
        let prepared = try CompletionsHandler(context: context).prepare(body: body)
        let fields = prepared.request.sampling
        let items = zip(prepared.requestIDs, prepared.prompts).map { id, prompt in
            GenerateRequestBody(requestID: id, tokenIDs: prompt, params: prepared.params, fields: fields,
                                model: context.options.servedModelName)
        }
        return JSONResponse.make(ResponseJSON.bytes(items))
    }

    /// One object: a chat request is one prompt.
    func chat(body: Data) throws -> Response {
        try refuseOffsets(body)
        let prepared = try ChatCompletionsHandler(context: context).prepare(body: body)
        let item = GenerateRequestBody(requestID: prepared.id, tokenIDs: prepared.prompt, params: prepared.params,
                                       fields: prepared.request.sampling, model: context.options.servedModelName)
        return JSONResponse.make(ResponseJSON.bytes(item))
    }

    /// `return_token_offsets` asks for character offsets per token, which the tokenizer does not keep.
    private func refuseOffsets(_ body: Data) throws {
        guard case .object(let object)? = try? JSONValue(parsing: body),
              let value = object["return_token_offsets"], !UnhonouredFields.isNullOrFalse(value, object) else { return }
        throw APIError.badRequest("`return_token_offsets` asks for per-token character offsets, which this server does not support yet; leave the field out",
                                  param: "return_token_offsets")
    }
}
