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
        default: return .unsupported("The model does not support Embeddings API")
        }
    }
}

/// An embedding model: embeddings.
struct EmbeddingBatchEndpoints: BatchEndpoints {
    let handler: EmbeddingsHandler

    func run(url: String, body: Data) async throws -> BatchLineResult {
        switch url {
        case "/v1/embeddings": return .answered(.embedding(try await handler.embed(body: body)))
        case "/v1/completions": return .unsupported("The model does not support Completions API")
        default: return .unsupported("The model does not support Chat Completions API")
        }
    }
}
