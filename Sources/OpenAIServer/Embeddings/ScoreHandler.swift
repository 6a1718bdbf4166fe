import Engine
import Foundation
import Hummingbird
import SwiftletJSON

/// `POST /score` and `POST /rerank` for an embedding model (vLLM's ServingScores): each pair
/// scored by the cosine similarity of its two embeddings.
struct ScoreHandler {
    let service: EmbeddingService
    let modelName: String

    /// The answer to a score body (the server's and run-batch's).
    func score(body: Data) async throws -> ScoreResponse {
        let request = try RequestDecoding.decode(ScoreRequest.self, from: body)
        try APIError.checkModel(request.model, served: modelName)
        let (first, second) = try request.checkedSides(modelName: modelName)
        let outputs = try await service.score(first, second, truncatePromptTokens: request.truncatePromptTokens,
                                              truncationSide: request.side, normalize: request.useActivation)
        let promptTokens = outputs.reduce(0) { $0 + $1.promptTokenIDs.count }
        return ScoreResponse(id: "score-\(request.requestId ?? RequestDecoding.randomID())", created: Int(Date().timeIntervalSince1970),
                             model: modelName, data: outputs.enumerated().map { index, output in ScoreData(index: index, score: output.score) },
                             usage: UsageInfo(promptTokens: promptTokens, completionTokens: 0))
    }

    /// The answer to a rerank body: documents by relevance, highest first, the first `top_n`.
    func rerank(body: Data) async throws -> RerankResponse {
        let request = try RequestDecoding.decode(RerankRequest.self, from: body)
        try APIError.checkModel(request.model, served: modelName)
        let (query, documents) = try request.checked(modelName: modelName)
        let outputs = try await service.score([query], documents, truncatePromptTokens: request.truncatePromptTokens,
                                              truncationSide: request.side, normalize: request.useActivation)
        let promptTokens = outputs.reduce(0) { $0 + $1.promptTokenIDs.count }
        var results = zip(documents, outputs).enumerated().map { index, pair in
            RerankResult(index: index, document: RerankDocument(text: pair.0), relevanceScore: pair.1.score)
        }
        // Stable: equal scores keep the documents' order.
        results = results.enumerated().sorted { a, b in
            a.element.relevanceScore != b.element.relevanceScore ? a.element.relevanceScore > b.element.relevanceScore : a.offset < b.offset
        }.map(\.element)
        if let topN = request.topN, topN > 0 { results = Array(results.prefix(topN)) }
        return RerankResponse(id: "rerank-\(request.requestId ?? RequestDecoding.randomID())", model: modelName,
                              usage: RerankUsage(promptTokens: promptTokens, totalTokens: promptTokens), results: results)
    }
}

/// vLLM's score answer: one score per pair, in pair order.
typealias ScoreResponse = PoolingResponse<ScoreData>

struct ScoreData: Encodable, Sendable {
    var index: Int
    var object = "score"
    var score: Float
}

/// vLLM's rerank answer (Jina's shape): results by relevance with each document's text.
struct RerankResponse: Encodable, Sendable {
    var id: String
    var model: String
    var usage: RerankUsage
    var results: [RerankResult]
}

struct RerankUsage: Encodable, Sendable {
    var promptTokens: Int
    var totalTokens: Int

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", totalTokens = "total_tokens"
    }
}

struct RerankResult: Encodable, Sendable {
    var index: Int
    var document: RerankDocument
    var relevanceScore: Float

    enum CodingKeys: String, CodingKey {
        case index, document, relevanceScore = "relevance_score"
    }
}

struct RerankDocument: Encodable, Sendable {
    var text: String
    var multiModal: Nullable<Never> = .null

    enum CodingKeys: String, CodingKey {
        case text, multiModal = "multi_modal"
    }
}
