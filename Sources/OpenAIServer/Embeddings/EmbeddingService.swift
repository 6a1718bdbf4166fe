import Engine
import Foundation

/// Runs an `EmbeddingEngine` on its own serial queue (the engine is touched only there, which is why
/// the class may be shared across tasks), one call at a time, so the HTTP event loops never
/// wait on a forward pass; each call batches its own inputs.
public final class EmbeddingService: @unchecked Sendable {
    public let engine: EmbeddingEngine
    private let queue = DispatchQueue(label: "swiftlet.embeddings")

    public init(engine: EmbeddingEngine) {
        self.engine = engine
    }

    func embed(texts: [String]?, tokenIDs: [[Int]]?, addSpecialTokens: Bool, keepTokens: Int?, keepFirst: Bool,
               normalize: Bool?) async throws -> [EmbeddingRequestOutput] {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in
                continuation.resume(with: Result {
                    var inputs = tokenIDs ?? (texts ?? []).map { engine.tokenizer.encode($0, addSpecialTokens: addSpecialTokens) }
                    if let keep = keepTokens, keepFirst {
                        inputs = inputs.map { Array($0.prefix(keep)) }
                    }
                    return try engine.embed(tokenIDs: inputs, truncatePromptTokens: keepFirst ? nil : keepTokens, normalize: normalize)
                })
            }
        }
    }

    func tokenize(_ text: String, addSpecialTokens: Bool) async -> [Int] {
        await withCheckedContinuation { continuation in
            queue.async { [self] in continuation.resume(returning: engine.tokenizer.encode(text, addSpecialTokens: addSpecialTokens)) }
        }
    }
}
