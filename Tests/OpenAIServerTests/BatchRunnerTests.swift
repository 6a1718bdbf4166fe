import Engine
import Foundation
@testable import OpenAIServer
import Testing

/// `swiftlet run-batch`'s runner: OpenAI batch lines through the server's handlers, output in input order.
extension ServerSuites {
@Suite struct BatchRunnerTests {
    static let lines = [
        #"{"custom_id": "c1", "method": "POST", "url": "/v1/completions", "body": {"model": "smollm2", "prompt": "The capital of France is", "max_tokens": 4, "temperature": 0}}"#,
        #"{"custom_id": "c2", "method": "POST", "url": "/v1/chat/completions", "body": {"messages": [{"role": "user", "content": "Say hi"}], "max_tokens": 5, "temperature": 0}}"#,
        "",
        #"{"custom_id": "bad-top-k", "method": "POST", "url": "/v1/completions", "body": {"prompt": "x", "top_k": -5}}"#,
        #"{"custom_id": "emb", "method": "POST", "url": "/v1/embeddings", "body": {"input": "x"}}"#,
        #"{"custom_id": "other", "method": "POST", "url": "/v1/foo", "body": {}}"#,
        "not json",
        #"{"custom_id": "stream", "method": "POST", "url": "/v1/chat/completions", "body": {"messages": [{"role": "user", "content": "x"}], "stream": true}}"#,
        #"{"custom_id": "no-method", "url": "/v1/chat/completions", "body": {}}"#,
        #"{"custom_id": "get", "method": "GET", "url": "/v1/completions", "body": {"prompt": "x"}}"#,
        #"{"custom_id": "wrong-model", "method": "POST", "url": "/v1/completions", "body": {"model": "other", "prompt": "x"}}"#,
        #"{"custom_id": "score", "method": "POST", "url": "/score", "body": {"text_1": "a", "text_2": "b"}}"#,
    ]

    func run(_ lines: [String], maxInFlight: Int) async throws -> (objects: [[String: Any]], summary: BatchRunner.Summary) {
        let runner = BatchRunner(context: try ServerFixture.context(), maxInFlight: maxInFlight)
        let written = LockedLines()
        let summary = try await runner.run(lines: lines) { line in written.append(line) }
        let objects = try written.values.map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        return (objects, summary)
    }

    @Test func linesRunInInputOrderWithPerLineErrors() async throws {
        let (objects, summary) = try await run(Self.lines, maxInFlight: 3)
        #expect(objects.map { $0["custom_id"] as? String } == ["c1", "c2", "bad-top-k", "emb", "other", "", "stream", "no-method", "get", "wrong-model", "score"])
        let statuses = objects.map { ($0["response"] as? [String: Any])?["status_code"] as? Int }
        #expect(statuses == [200, 200, 400, 400, 400, 400, 400, 400, 400, 404, 400])
        #expect(summary.succeeded == 2 && summary.failed == 9)
        #expect(summary.outputTokens == 9 && summary.promptTokens > 5)
        for object in objects {
            #expect((object["id"] as? String)?.hasPrefix("vllm-") == true)
            #expect(((object["response"] as? [String: Any])?["request_id"] as? String)?.hasPrefix("vllm-batch-") == true)
        }
        // The completion is the server's greedy answer, in the /v1/completions body.
        let completion = try #require((objects[0]["response"] as? [String: Any])?["body"] as? [String: Any])
        #expect(completion["object"] as? String == "text_completion")
        #expect((completion["choices"] as? [[String: Any]])?.first?["text"] as? String == " Paris.\n\n")
        #expect(objects[0]["error"] is NSNull)
        let chat = try #require((objects[1]["response"] as? [String: Any])?["body"] as? [String: Any])
        #expect(chat["object"] as? String == "chat.completion")
        #expect(((chat["usage"] as? [String: Any])?["completion_tokens"] as? Int) == 5)
        // Refused by the endpoint: its error body; not run at all: a message.
        let topK = try #require((objects[2]["error"] as? [String: Any])?["error"] as? [String: Any])
        #expect(topK["param"] as? String == "top_k")
        #expect((objects[2]["response"] as? [String: Any])?["body"] is NSNull)
        #expect(objects[3]["error"] as? String == "The model does not support Embeddings API")
        #expect((objects[4]["error"] as? String)?.hasPrefix("URL /v1/foo was used. Supported endpoints:") == true)
        // The line number counts the blank line before it.
        #expect((objects[5]["error"] as? String)?.hasPrefix("line 7 is not valid JSON") == true)
        #expect(((objects[6]["error"] as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
            == "Request must not be sent in stream mode")
        #expect(objects[7]["error"] as? String == "line 9: missing required field 'method'")
        #expect((objects[8]["error"] as? String)?.contains("must be POST") == true)
        #expect(objects[10]["error"] as? String == "The model does not support Scores API")
    }

    @Test func manyLinesAtOnceKeepTheirOrder() async throws {
        let prompts = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight"]
        let lines = prompts.enumerated().map { index, prompt in
            #"{"custom_id": "r\#(index)", "method": "POST", "url": "/v1/completions", "body": {"prompt": "\#(prompt)", "max_tokens": \#(8 - index), "temperature": 0}}"#
        }
        let (objects, summary) = try await run(lines, maxInFlight: 8)
        #expect(objects.map { $0["custom_id"] as? String } == prompts.indices.map { "r\($0)" })
        #expect(summary.succeeded == 8 && summary.outputTokens == 36)
        // Each line's answer is the one it gets alone.
        let (alone, _) = try await run([lines[5]], maxInFlight: 1)
        func text(_ object: [String: Any]) -> String? {
            (((object["response"] as? [String: Any])?["body"] as? [String: Any])?["choices"] as? [[String: Any]])?.first?["text"] as? String
        }
        #expect(text(alone[0]) != nil && text(alone[0]) == text(objects[5]))
    }

    /// An embedding model's runner: embeddings lines answered as /v1/embeddings answers them;
    /// completions and chat lines get vLLM's message.
    @Test func embeddingModelRunsEmbeddingLines() async throws {
        let path = ServerFixture.repoRoot.appendingPathComponent("models/all-MiniLM-L6-v2").path
        try #require(FileManager.default.fileExists(atPath: path), "models/all-MiniLM-L6-v2 is missing: run scripts/fetch-model minilm")
        let service = EmbeddingService(engine: try EmbeddingEngine(directory: path, numThreads: 2))
        let runner = BatchRunner(embeddings: service, modelName: "minilm", maxInFlight: 4)
        let lines = [
            #"{"custom_id": "e1", "method": "POST", "url": "/v1/embeddings", "body": {"model": "minilm", "input": ["A man is eating food.", "Hello world"]}}"#,
            #"{"custom_id": "e2", "method": "POST", "url": "/v1/embeddings", "body": {"input": [101, 7592, 2088, 102], "encoding_format": "base64"}}"#,
            #"{"custom_id": "c1", "method": "POST", "url": "/v1/completions", "body": {"prompt": "x"}}"#,
            #"{"custom_id": "c2", "method": "POST", "url": "/v1/chat/completions", "body": {"messages": []}}"#,
            #"{"custom_id": "dims", "method": "POST", "url": "/v1/embeddings", "body": {"input": "x", "dimensions": 8}}"#,
            #"{"custom_id": "s1", "method": "POST", "url": "/v1/score", "body": {"text_1": "A man is eating food.", "text_2": ["A man is eating a piece of bread.", "Hello world"]}}"#,
            #"{"custom_id": "r1", "method": "POST", "url": "/rerank", "body": {"query": "A man is eating food.", "documents": ["Hello world", "A man is eating a piece of bread."], "top_n": 1}}"#,
        ]
        let written = LockedLines()
        let summary = try await runner.run(lines: lines) { line in written.append(line) }
        let objects = try written.values.map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        #expect(objects.map { $0["custom_id"] as? String } == ["e1", "e2", "c1", "c2", "dims", "s1", "r1"])
        #expect(objects.map { ($0["response"] as? [String: Any])?["status_code"] as? Int } == [200, 200, 400, 400, 400, 200, 200])
        // A scored pair counts both inputs and the [PAD] between them: 8 + 1 + 11 and 8 + 1 + 4, in score and rerank.
        #expect(summary.succeeded == 4 && summary.failed == 3 && summary.promptTokens == 8 + 4 + 4 + 2 * 33 && summary.outputTokens == 0)
        let first = try #require((objects[0]["response"] as? [String: Any])?["body"] as? [String: Any])
        let data = try #require(first["data"] as? [[String: Any]])
        #expect(data.map { ($0["embedding"] as? [Double])?.count } == [384, 384])
        #expect(first["object"] as? String == "list" && first["model"] as? String == "minilm")
        let second = try #require(((objects[1]["response"] as? [String: Any])?["body"] as? [String: Any])?["data"] as? [[String: Any]])
        #expect((second[0]["embedding"] as? String).flatMap { Data(base64Encoded: $0) }?.count == 384 * 4)
        #expect(objects[2]["error"] as? String == "The model does not support Completions API")
        #expect(objects[3]["error"] as? String == "The model does not support Chat Completions API")
        #expect(((objects[4]["error"] as? [String: Any])?["error"] as? [String: Any])?["param"] as? String == "dimensions")
        let scores = try #require(((objects[5]["response"] as? [String: Any])?["body"] as? [String: Any])?["data"] as? [[String: Any]])
        let bread = try #require(scores[0]["score"] as? Double), hello = try #require(scores[1]["score"] as? Double)
        #expect(bread > 0.7 && hello < bread)
        let rerank = try #require((objects[6]["response"] as? [String: Any])?["body"] as? [String: Any])
        let results = try #require(rerank["results"] as? [[String: Any]])
        #expect(results.count == 1 && results[0]["index"] as? Int == 1)
        #expect(abs((results[0]["relevance_score"] as? Double ?? 0) - bread) < 1e-6)
    }

    /// Past --max-waiting-requests the embedding service answers 503, as the generation server does.
    @Test func embeddingServiceRefusesPastTheWaitingLimit() throws {
        let path = ServerFixture.repoRoot.appendingPathComponent("models/all-MiniLM-L6-v2").path
        try #require(FileManager.default.fileExists(atPath: path), "models/all-MiniLM-L6-v2 is missing: run scripts/fetch-model minilm")
        let service = EmbeddingService(engine: try EmbeddingEngine(directory: path, numThreads: 1), maxWaitingRequests: 2)
        try service.enter()
        try service.enter()
        let refused = #expect(throws: APIError.self) { try service.enter() }
        #expect(refused?.status == 503)
        #expect(refused?.message == "the server is overloaded: 2 requests are waiting (--max-waiting-requests 2); retry later")
        service.leave()
        try service.enter()
    }

    @Test func progressLineIsVLLMsBar() {
        let start = Date(timeIntervalSince1970: 1000)
        let progress = BatchProgress(total: 10, completed: 4, start: start)
        #expect(progress.line(now: start.addingTimeInterval(2.5)) == "Running batch:  40% Completed | 4/10 [00:02<00:03, 1.60req/s]")
        #expect(BatchProgress(total: 3, completed: 3, start: start).line(now: start.addingTimeInterval(3725))
            == "Running batch: 100% Completed | 3/3 [1:02:05<00:00, 0.00req/s]")
        #expect(BatchProgress(total: 0, start: start).line(now: start) == "Running batch: 100% Completed | 0/0 [00:00<?, 0.00req/s]")
    }
}
}

/// Output lines collected from the runner's writer.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [[UInt8]] = []

    func append(_ line: [UInt8]) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var values: [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        return lines
    }
}
