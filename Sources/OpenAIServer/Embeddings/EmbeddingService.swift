import Engine
import Foundation

/// Runs an `EmbeddingEngine` on its own serial queue (the engine is touched only there, which is why
/// the class may be shared across tasks), one call at a time, so the HTTP event loops never wait on
/// a forward pass; each call batches its own inputs. More than `maxWaitingRequests` calls waiting
/// at once get a 503, as the generation server answers past --max-waiting-requests.
public final class EmbeddingService: @unchecked Sendable {
    public let engine: EmbeddingEngine
    public let maxWaitingRequests: Int
    private let queue = DispatchQueue(label: "swiftlet.embeddings")
    private let lock = NSLock()
    private var waiting = 0

    public init(engine: EmbeddingEngine, maxWaitingRequests: Int = 1024) {
        self.engine = engine
        self.maxWaitingRequests = max(1, maxWaitingRequests)
    }

    /// Embeds texts or token-id lists (exactly one is non-nil) as `EmbeddingEngine.embed` does.
    func embed(texts: [String]?, tokenIDs: [[Int]]?, addSpecialTokens: Bool, truncatePromptTokens: Int?,
               truncationSide: TruncationSide, normalize: Bool?) async throws -> [EmbeddingRequestOutput] {
        try enter()
        defer { leave() }
        return try await run { engine in
            if let tokenIDs {
                return try engine.embed(tokenIDs: tokenIDs, truncatePromptTokens: truncatePromptTokens,
                                        truncationSide: truncationSide, normalize: normalize)
            }
            return try engine.embed(texts ?? [], truncatePromptTokens: truncatePromptTokens, truncationSide: truncationSide,
                                    addSpecialTokens: addSpecialTokens, normalize: normalize)
        }
    }

    func tokenize(_ text: String, addSpecialTokens: Bool) async throws -> [Int] {
        try await run { engine in try engine.tokenize(text, addSpecialTokens: addSpecialTokens) }
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable (EmbeddingEngine) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [self] in continuation.resume(with: Result { try work(engine) }) }
        }
    }

    func enter() throws {
        lock.lock()
        defer { lock.unlock() }
        guard waiting < maxWaitingRequests else {
            throw APIError(status: 503, message: "the server is overloaded: \(waiting) requests are waiting (--max-waiting-requests \(maxWaitingRequests)); retry later")
        }
        waiting += 1
    }

    func leave() {
        lock.lock()
        waiting -= 1
        lock.unlock()
    }
}
