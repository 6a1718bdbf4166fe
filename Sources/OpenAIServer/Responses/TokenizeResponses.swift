import SwiftletJSON

/// `POST /tokenize`.
struct TokenizeResponse: Encodable, Sendable {
    var count: Int
    var maxModelLen: Int
    var tokens: [Int]
    var tokenStrs: Nullable<[String]> = .null

    enum CodingKeys: String, CodingKey {
        case count, maxModelLen = "max_model_len", tokens, tokenStrs = "token_strs"
    }
}

/// `POST /detokenize`.
struct DetokenizeResponse: Encodable, Sendable {
    var prompt: String
}

/// `GET /version`.
struct VersionResponse: Encodable, Sendable {
    var version: String
}
