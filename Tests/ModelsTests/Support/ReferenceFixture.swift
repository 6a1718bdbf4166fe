import Foundation
import Testing

/// A float64 reference logprob file of scripts/reference/make_reference.py
/// (format "swiftlet-reference-logprobs v1").
struct ReferenceFixture: Decodable {
    struct Sequence: Decodable {
        let name: String
        let tokenIDs: [Int32]
        /// Per position: the file's top_k (20; Gemma's 10) most likely next tokens, descending, and their log-probs.
        let topIDs: [[Int]]
        let topLogprobs: [[Double]]
        enum CodingKeys: String, CodingKey {
            case name, tokenIDs = "token_ids", topIDs = "top_ids", topLogprobs = "top_logprobs"
        }
    }

    struct Greedy: Decodable {
        struct Step: Decodable {
            let id: Int
            /// Log-prob gap between the top two tokens.
            let gap: Double
        }
        let name: String
        let promptTokenIDs: [Int32]
        let continuationIDs: [Int]
        let steps: [Step]
        enum CodingKeys: String, CodingKey {
            case name, promptTokenIDs = "prompt_token_ids", continuationIDs = "continuation_ids", steps
        }
    }

    let format: String
    let modelFile: String
    let sequences: [Sequence]
    let greedy: [Greedy]
    enum CodingKeys: String, CodingKey {
        case format, modelFile = "model_file", sequences, greedy
    }

    /// Reads Fixtures/reference/<name>.
    static func load(_ name: String) throws -> ReferenceFixture {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: fixtures.appendingPathComponent("reference").appendingPathComponent(name))
        return try JSONDecoder().decode(ReferenceFixture.self, from: data)
    }
}
