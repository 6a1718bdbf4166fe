import Foundation

/// One side of a score request: a string or a list of strings. Multimodal content (vLLM's
/// `{"content": [...]}` parts) is recognized so that it can be refused by name.
struct ScoreInputs: Decodable, Sendable, Equatable {
    var texts: [String]
    var isMultiModal = false

    private struct ContentParam: Decodable {
        var content: [Part]
        struct Part: Decodable { var type: String }
    }

    private enum Item: Decodable {
        case text(String)
        case content(ContentParam)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) { self = .text(text) } else { self = .content(try container.decode(ContentParam.self)) }
        }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            texts = [text]
        } else if let list = try? container.decode([String].self) {
            texts = list
        } else if (try? container.decode(ContentParam.self)) != nil || (try? container.decode([Item].self)) != nil {
            texts = []
            isMultiModal = true
        } else {
            throw DecodingError.typeMismatch(ScoreInputs.self, .init(
                codingPath: decoder.codingPath, debugDescription: "expected a string or a list of strings"))
        }
    }

    /// A 400 for multimodal content on a text-only model.
    func check(param: String, modelName: String) -> APIError? {
        isMultiModal ? .badRequest("multimodal content is not supported for \(modelName), a text-only model", param: param) : nil
    }
}

/// `POST /score` (and `/v1/score`) as vLLM takes it: the two sides as `queries` and `documents`,
/// `queries` and `items`, `data_1` and `data_2`, or `text_1` and `text_2` (the first pair present
/// wins, as vLLM's union of request types picks), 1:1, 1:N or N:N. Keys are snake_case in the
/// body (`text_1` decodes into `text1`).
struct ScoreRequest: Decodable, PoolingRequestFields {
    var model: String?
    var user: String?
    var queries: ScoreInputs?
    var documents: ScoreInputs?
    var items: ScoreInputs?
    var data1: ScoreInputs?
    var data2: ScoreInputs?
    var text1: ScoreInputs?
    var text2: ScoreInputs?
    var truncatePromptTokens: Int?
    var truncationSide: String?
    var padding: String?
    var requestId: String?
    var priority: Int?
    var useActivation: Bool?

    /// The two sides and their field names, in vLLM's order of precedence; nil when no pair is complete.
    var sides: (first: ScoreInputs, second: ScoreInputs, names: (String, String))? {
        if let queries, let documents { return (queries, documents, ("queries", "documents")) }
        if let queries, let items { return (queries, items, ("queries", "items")) }
        if let data1, let data2 { return (data1, data2, ("data_1", "data_2")) }
        if let text1, let text2 { return (text1, text2, ("text_1", "text_2")) }
        return nil
    }

    /// The two sides' texts, or a 400 naming what is missing or refused.
    func checkedSides(modelName: String) throws -> (first: [String], second: [String]) {
        guard let sides else {
            throw APIError.badRequest("a score request needs two sides: queries and documents (or queries and items, data_1 and data_2, text_1 and text_2)")
        }
        if let problem = sides.first.check(param: sides.names.0, modelName: modelName)
            ?? sides.second.check(param: sides.names.1, modelName: modelName) ?? checkPoolingFields() {
            throw problem
        }
        return (sides.first.texts, sides.second.texts)
    }
}

/// `POST /rerank` (and `/v1/rerank`, `/v2/rerank`), Jina's and Cohere's rerank API as vLLM takes
/// it: one query, the documents, and `top_n` (0 or less: all of them).
struct RerankRequest: Decodable, PoolingRequestFields {
    var model: String?
    var user: String?
    var query: ScoreInputs
    var documents: ScoreInputs
    var topN: Int?
    var truncatePromptTokens: Int?
    var truncationSide: String?
    var padding: String?
    var requestId: String?
    var priority: Int?
    var useActivation: Bool?

    /// The query and the documents, or a 400.
    func checked(modelName: String) throws -> (query: String, documents: [String]) {
        if let problem = query.check(param: "query", modelName: modelName) ?? documents.check(param: "documents", modelName: modelName)
            ?? checkPoolingFields() {
            throw problem
        }
        guard query.texts.count == 1, let text = query.texts.first else {
            throw APIError.badRequest("query must be one string, got a list of \(query.texts.count)", param: "query")
        }
        return (text, documents.texts)
    }
}
