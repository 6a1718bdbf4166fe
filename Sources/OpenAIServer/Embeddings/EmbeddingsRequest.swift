import Foundation

/// `POST /v1/embeddings` as vLLM 0.34 takes it for text or token inputs (its
/// EmbeddingCompletionRequest): OpenAI's fields plus vLLM's extras. Fields it cannot carry out
/// yet are refused by `check`, never ignored.
struct EmbeddingsRequest: Decodable, PoolingRequestFields {
    var model: String?
    var input: PromptInput
    /// "float" (the default) or "base64" (the vector's bytes in `embedDtype`, `endianness` order).
    var encodingFormat: String?
    /// Only for Matryoshka models, which this server has none of.
    var dimensions: Int?
    var user: String?
    var truncatePromptTokens: Int?
    var truncationSide: String?
    var padding: String?
    var addSpecialTokens: Bool?
    /// Whether the pooler's activation (normalization for embeddings) runs; nil: the model's default.
    var useActivation: Bool?
    var embedDtype: String?
    var endianness: String?
    var requestId: String?
    var priority: Int?

    /// A 400 naming the first field this server refuses, or nil.
    func check(modelName: String) -> APIError? {
        if input.count == 0 { return .badRequest("input must not be empty", param: "input") }
        if case .tokens(let lists) = input, lists.contains(where: \.isEmpty) {
            return .badRequest("input must not contain empty token lists", param: "input")
        }
        if let format = encodingFormat, !["float", "base64"].contains(format) {
            return .badRequest("encoding_format must be 'float' or 'base64', got '\(format)'", param: "encoding_format")
        }
        if let dimensions {
            return .badRequest("Model '\(modelName)' does not support Matryoshka embeddings; dimensions must be unset (received dimensions=\(dimensions)).",
                               param: "dimensions")
        }
        if let dtype = embedDtype, dtype != "float32" {
            let known = ["float16", "bfloat16", "fp8_e4m3", "fp8_e5m2"].contains(dtype)
            return .badRequest(known ? "embed_dtype '\(dtype)' is not supported by this server yet (float32 is)" : "embed_dtype must be float32, got '\(dtype)'",
                               param: "embed_dtype")
        }
        if let order = endianness, !["native", "little", "big"].contains(order) {
            return .badRequest("endianness must be 'native', 'little' or 'big', got '\(order)'", param: "endianness")
        }
        return checkPoolingFields()
    }
}

/// vLLM's list answer of a pooling endpoint: one item per input (embeddings) or per pair
/// (scores), in order.
struct PoolingResponse<Item: Encodable & Sendable>: Encodable, Sendable {
    var id: String
    var object = "list"
    var created: Int
    var model: String
    var data: [Item]
    var usage: UsageInfo
}

/// vLLM's embeddings answer: one `EmbeddingData` per input.
typealias EmbeddingsResponse = PoolingResponse<EmbeddingData>

struct EmbeddingData: Encodable, Sendable {
    var index: Int
    var object = "embedding"
    var embedding: EmbeddingValue
}

/// A vector as floats, or base64 of its float32 bytes.
enum EmbeddingValue: Encodable, Sendable {
    case floats([Float])
    case base64(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .floats(let values): try container.encode(values)
        case .base64(let text): try container.encode(text)
        }
    }

    /// The float32 bytes of `values` in the given order ("native" is this machine's).
    static func base64(_ values: [Float], bigEndian: Bool) -> EmbeddingValue {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            let bits = bigEndian ? value.bitPattern.bigEndian : value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return .base64(Data(bytes).base64EncodedString())
    }
}
