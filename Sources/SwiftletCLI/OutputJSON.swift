import Foundation
import Swiftlet
import SwiftletJSON

/// `swiftlet generate --json`: the shape of a vLLM `RequestOutput` with one completion, keys in
/// sorted order (as this command has always printed them).
struct OutputJSON: Encodable {
    /// One position as vLLM's dict: token id → {logprob, rank, decoded_token}, the top-K and the
    /// chosen token, ids in numeric order.
    struct Position: Encodable {
        struct Entry: Encodable {
            var decodedToken: String
            var logprob: Double
            var rank: Int
            enum CodingKeys: String, CodingKey { case decodedToken = "decoded_token", logprob, rank }
        }
        var entries: [Int: Entry] = [:]

        init(_ logprobs: TokenLogprobs, tokenizer: Tokenizer) {
            func entry(_ item: TokenLogprob, rank: Int) -> Entry {
                Entry(decodedToken: (try? tokenizer.decode([item.tokenID])) ?? "", logprob: Double(item.logprob), rank: rank)
            }
            for (index, item) in logprobs.top.enumerated() { entries[item.tokenID] = entry(item, rank: index + 1) }
            entries[logprobs.chosen.tokenID] = entry(logprobs.chosen, rank: logprobs.rank)
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: IDKey.self)
            for (id, entry) in entries.sorted(by: { $0.key < $1.key }) { try container.encode(entry, forKey: IDKey(stringValue: String(id))) }
        }
    }

    struct IDKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }

    enum StopReasonJSON: Encodable {
        case tokenID(Int), text(String)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .tokenID(let id): try container.encode(id)
            case .text(let text): try container.encode(text)
            }
        }
    }

    var finishReason: String
    var logprobs: [Position]?
    var outputTokenIDs: [Int]
    var prompt: Nullable<String>
    var promptLogprobs: [Nullable<Position>]?
    var promptTokenIDs: [Int]
    var stopReason: Nullable<StopReasonJSON>
    var text: String

    enum CodingKeys: String, CodingKey {
        case finishReason = "finish_reason", logprobs, outputTokenIDs = "output_token_ids", prompt
        case promptLogprobs = "prompt_logprobs", promptTokenIDs = "prompt_token_ids", stopReason = "stop_reason", text
    }

    static func render(_ output: RequestOutput, prompt: String?, tokenizer: Tokenizer) throws -> String {
        let completion = output.outputs.first ?? CompletionOutput(index: 0)
        let stopReason: StopReasonJSON? = switch completion.stopReason {
        case .tokenID(let id): .tokenID(id)
        case .text(let text): .text(text)
        case nil: nil
        }
        let value = OutputJSON(
            finishReason: (completion.finishReason ?? .abort).rawValue,
            logprobs: completion.logprobs?.map { Position($0, tokenizer: tokenizer) },
            outputTokenIDs: completion.tokenIDs, prompt: Nullable(prompt),
            promptLogprobs: output.promptLogprobs?.map { Nullable($0.map { Position($0, tokenizer: tokenizer) }) },
            promptTokenIDs: output.promptTokenIDs, stopReason: Nullable(stopReason), text: completion.text)
        return String(decoding: try CompactJSONEncoder().encode(value), as: UTF8.self)
    }
}
