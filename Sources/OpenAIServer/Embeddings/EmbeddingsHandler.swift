import Engine
import Foundation
import Hummingbird

/// `POST /v1/embeddings` for an embedding model (vLLM's serving_embedding).
struct EmbeddingsHandler {
    let service: EmbeddingService
    let modelName: String

    func respond(body: Data) async throws -> Response {
        JSONResponse.make(ResponseJSON.bytes(try await embed(body: body)))
    }

    /// The answer to one request body (the server's and run-batch's).
    func embed(body: Data) async throws -> EmbeddingsResponse {
        let request = try RequestDecoding.decode(EmbeddingsRequest.self, from: body)
        try APIError.checkModel(request.model, served: modelName)
        if let problem = request.check(modelName: modelName) { throw problem }
        let engine = service.engine
        if case .tokens(let lists) = request.input, let bad = lists.joined().first(where: { $0 < 0 || $0 >= engine.model.vocabSize }) {
            throw APIError.badRequest("token id \(bad) is out of range [0, \(engine.model.vocabSize))", param: "input")
        }
        let texts: [String]?, tokens: [[Int]]?
        switch request.input {
        case .texts(let list): (texts, tokens) = (list, nil)
        case .tokens(let lists): (texts, tokens) = (nil, lists)
        }
        let outputs = try await service.embed(texts: texts, tokenIDs: tokens, addSpecialTokens: request.addSpecialTokens ?? true,
                                              truncatePromptTokens: request.truncatePromptTokens, truncationSide: request.side,
                                              normalize: request.useActivation)
        let bigEndian = request.endianness == "big"
        let data = outputs.enumerated().map { index, output in
            EmbeddingData(index: index, embedding: request.encodingFormat == "base64"
                ? EmbeddingValue.base64(output.embedding, bigEndian: bigEndian) : .floats(output.embedding))
        }
        let promptTokens = outputs.reduce(0) { $0 + $1.promptTokenIDs.count }
        return EmbeddingsResponse(id: "embd-\(request.requestId ?? RequestDecoding.randomID())",
                                  created: Int(Date().timeIntervalSince1970), model: modelName, data: data,
                                  usage: UsageInfo(promptTokens: promptTokens, completionTokens: 0))
    }
}
