import Foundation
import SwiftletJSON

/// Runs the lines of an OpenAI batch file (`swiftlet run-batch`, as `vllm run-batch`) through the
/// same handlers as the server, many at once so the engine batches them, and writes the output
/// lines in input order.
public struct BatchRunner: Sendable {
    let endpoints: any BatchEndpoints
    /// Lines in flight at once (vLLM keeps twice `max_num_seqs` in flight).
    public let maxInFlight: Int

    /// Lines for a generation model: completions and chat.
    public init(context: ServingContext, maxInFlight: Int) {
        endpoints = GenerationBatchEndpoints(context: context)
        self.maxInFlight = max(1, maxInFlight)
    }

    /// Lines for an embedding model: embeddings.
    public init(embeddings service: EmbeddingService, modelName: String, maxInFlight: Int) {
        endpoints = EmbeddingBatchEndpoints(handler: EmbeddingsHandler(service: service, modelName: modelName))
        self.maxInFlight = max(1, maxInFlight)
    }

    /// What a run did.
    public struct Summary: Sendable, Equatable {
        public var succeeded = 0
        public var failed = 0
        /// Prompt and generated tokens of the lines that ran.
        public var promptTokens = 0
        public var outputTokens = 0
        /// From the first line started to the last one finished.
        public var seconds = 0.0

        /// Generated tokens per second of the whole run.
        public var outputTokensPerSecond: Double { seconds > 0 ? Double(outputTokens) / seconds : 0 }
    }

    /// The endpoints a line may name.
    static let supportedURLs = ["/v1/completions", "/v1/chat/completions", "/v1/embeddings", "/score", "/v1/score",
                                "/rerank", "/v1/rerank", "/v2/rerank"]

    /// Runs `lines` (blank ones skipped) and hands each output line (JSON, no newline) to `write`
    /// in input order, and the progress after each finished line to `progress`.
    public func run(lines: [String], progress: @Sendable (BatchProgress) -> Void = { _ in },
                    write: ([UInt8]) throws -> Void) async throws -> Summary {
        // (the line's number in the file, its text)
        let work = lines.enumerated().filter { !$0.element.allSatisfy(\.isWhitespace) }.map { ($0.offset + 1, $0.element) }
        var state = BatchProgress(total: work.count, start: Date())
        var summary = Summary()
        var ready: [Int: BatchRequestOutput] = [:]
        var nextToWrite = 0
        try await withThrowingTaskGroup(of: (Int, BatchRequestOutput).self) { group in
            var nextToStart = 0
            func startNext() {
                guard nextToStart < work.count else { return }
                let index = nextToStart, (number, line) = work[index]
                nextToStart += 1
                group.addTask { (index, await runLine(line, number: number)) }
            }
            for _ in 0..<min(maxInFlight, work.count) { startNext() }
            while let (index, output) = try await group.next() {
                if let usage = output.response.value?.body.value?.usage {
                    summary.succeeded += 1
                    summary.promptTokens += usage.promptTokens
                    summary.outputTokens += usage.completionTokens
                } else {
                    summary.failed += 1
                }
                ready[index] = output
                while let line = ready.removeValue(forKey: nextToWrite) {
                    try write(try ResponseJSON.encoder.encode(line))
                    nextToWrite += 1
                }
                state.completed += 1
                progress(state)
                startNext()
            }
        }
        summary.seconds = Date().timeIntervalSince(state.start)
        return summary
    }

    /// One line's output; never throws: every failure is the line's `error`.
    func runLine(_ line: String, number: Int) async -> BatchRequestOutput {
        let object: JSONObject
        do {
            guard case .object(let parsed) = try JSONValue(parsing: Data(line.utf8)) else {
                return BatchRequestOutput(customId: "", message: "line \(number) is not a JSON object")
            }
            object = parsed
        } catch {
            return BatchRequestOutput(customId: "", message: "line \(number) is not valid JSON: \(error)")
        }
        let customId = object["custom_id"]?.stringValue ?? ""
        let input: BatchRequestInput
        do {
            input = try JSONDecoder().decode(BatchRequestInput.self, from: Data(line.utf8))
        } catch {
            return BatchRequestOutput(customId: customId, message: "line \(number): \(APIError.decoding(error).message)")
        }
        guard input.method.uppercased() == "POST" else {
            return BatchRequestOutput(customId: customId, message: "method \(input.method) was used; batch lines must be POST requests")
        }
        guard let body = object["body"], case .object = body else {
            return BatchRequestOutput(customId: customId, message: "line \(number): body must be a JSON object")
        }
        do {
            let bodyData = Data(try ResponseJSON.encoder.encode(body))
            guard Self.supportedURLs.contains(input.url) else {
                return BatchRequestOutput(customId: customId, message: "URL \(input.url) was used. Supported endpoints: \(Self.supportedURLs.joined(separator: ", ")).")
            }
            switch try await endpoints.run(url: input.url, body: bodyData) {
            case .answered(let response): return BatchRequestOutput(customId: customId, body: response)
            case .unsupported(let message): return BatchRequestOutput(customId: customId, message: message)
            }
        } catch let error as APIError {
            return BatchRequestOutput(customId: customId, refused: error)
        } catch {
            return BatchRequestOutput(customId: customId, message: "\(error)")
        }
    }
}
