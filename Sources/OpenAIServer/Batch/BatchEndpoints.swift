import Foundation

/// What a batch line's endpoint gave: the response body, or vLLM's message for an API the model
/// does not serve.
enum BatchLineResult: Sendable {
    case answered(BatchResponseBody)
    case unsupported(String)
}

/// The endpoints batch lines run through: the same handlers the server uses for its model.
protocol BatchEndpoints: Sendable {
    /// Runs one line's body against `url` (one of `BatchRunner.supportedURLs`); a refusal throws `APIError`.
    func run(url: String, body: Data) async throws -> BatchLineResult
}

/// A generation model: completions and chat.
struct GenerationBatchEndpoints: BatchEndpoints {
    let context: ServingContext

    func run(url: String, body: Data) async throws -> BatchLineResult {
        switch url {
        case "/v1/completions": return .answered(.completion(try await CompletionsHandler(context: context).complete(body: body)))
        case "/v1/chat/completions": return .answered(.chat(try await ChatCompletionsHandler(context: context).complete(body: body)))
        case "/v1/embeddings": return .unsupported("The model does not support Embeddings API")
        default: return .unsupported(url.hasSuffix("/score") ? "The model does not support Scores API" : "The model does not support Rerank API")
        }
    }
}

/// An embedding model: embeddings, score and rerank.
struct EmbeddingBatchEndpoints: BatchEndpoints {
    let handler: EmbeddingsHandler
    var scores: ScoreHandler { ScoreHandler(service: handler.service, modelName: handler.modelName) }

    func run(url: String, body: Data) async throws -> BatchLineResult {
        switch url {
        case "/v1/embeddings": return .answered(.embedding(try await handler.embed(body: body)))
        case "/score", "/v1/score": return .answered(.score(try await scores.score(body: body)))
        case "/rerank", "/v1/rerank", "/v2/rerank": return .answered(.rerank(try await scores.rerank(body: body)))
        case "/v1/completions": return .unsupported("The model does not support Completions API")
        default: return .unsupported("The model does not support Chat Completions API")
        }
    }
}
