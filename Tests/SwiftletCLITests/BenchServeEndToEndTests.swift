import Foundation
import Testing
@testable import SwiftletCLI

/// The load generator and the `swiftlet bench serve` command against an in-process fake server.
@Suite struct BenchServeEndToEndTests {
    func sender(port: Int, endpoint: String = "/v1/completions") throws -> BenchServeRequestSender {
        let client = BenchServeHTTPClient(url: try BenchServeURL(parsing: "http://127.0.0.1:\(port)"), timeoutSeconds: 10)
        return BenchServeRequestSender(client: client, endpoint: endpoint, model: "fake-model", outputLen: 5, temperature: 0)
    }

    /// A port with nothing listening: bound, read back and closed again.
    func closedPort() throws -> Int {
        let server = try BenchServeFakeServer(numTokens: 1)
        server.stop()
        return server.port
    }

    @Test func streamsAreMeasuredUnderConcurrency() throws {
        let server = try BenchServeFakeServer(numTokens: 5)
        defer { server.stop() }
        let prompts = (0..<6).map { BenchServePrompt(text: "prompt \($0)", promptLen: 3) }
        let generator = BenchServeLoadGenerator(sender: try sender(port: server.port), maxConcurrency: 2,
                                                requestRate: .infinity, seed: 0)
        let (results, duration) = generator.run(prompts)
        #expect(results.count == 6)
        for result in results {
            #expect(result.success, "\(result.error ?? "")")
            #expect(result.outputTokens == 5)
            #expect(result.generatedText == "abcde")
            #expect(result.itls.count == 4)
            #expect(result.ttft > 0 && result.ttft <= result.latency)
        }
        #expect(duration > 0)
        let bodies = server.bodies
        #expect(bodies.count == 6)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [String: Any])
        #expect(first["stream"] as? Bool == true)
        #expect(first["ignore_eos"] as? Bool == true)
        #expect(first["max_tokens"] as? Int == 5)
        #expect(first["model"] as? String == "fake-model")
        #expect((first["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        let metrics = BenchServeMetrics(results: results, duration: duration)
        #expect(metrics.completed == 6)
        #expect(metrics.totalInputTokens == 18)
        #expect(metrics.totalOutputTokens == 30)

        // Poisson arrivals (finite rate) and no concurrency limit: the same outcome.
        let paced = BenchServeLoadGenerator(sender: try sender(port: server.port), maxConcurrency: nil,
                                            requestRate: 200, seed: 1).run(prompts)
        #expect(paced.results.map(\.success) == Array(repeating: true, count: 6))
        #expect(paced.results.map(\.generatedText) == Array(repeating: "abcde", count: 6))
        #expect(server.bodies.count == 12)
    }

    @Test func failuresAreCountedNotFatal() throws {
        let refused = try sender(port: closedPort()).send(prompt: "x", promptLen: 1)
        #expect(!refused.success)
        #expect(refused.error?.hasPrefix("connection error: connect to 127.0.0.1:") == true)
        let server = try BenchServeFakeServer(numTokens: 2)
        defer { server.stop() }
        let missing = try sender(port: server.port, endpoint: "/v1/nowhere").send(prompt: "x", promptLen: 1)
        #expect(!missing.success)
        #expect(missing.error == "HTTP 404: not found")
        let client = BenchServeHTTPClient(url: try BenchServeURL(parsing: "http://127.0.0.1:\(server.port)"), timeoutSeconds: 10)
        #expect(try BenchServeCommand.firstModelID(client: client) == "fake-model")
    }

    @Test func commandWritesVLLMShapedJSON() throws {
        let server = try BenchServeFakeServer(numTokens: 4)
        defer { server.stop() }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-serve-\(server.port).json")
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try CLITests().swiftlet("bench", "serve", "--base-url", "http://127.0.0.1:\(server.port)",
                                          "--num-prompts", "3", "--max-concurrency", "2", "--input-len", "8",
                                          "--shared-prefix-len", "4", "--output-len", "4", "--output-json", output.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Successful requests:                     3"))
        #expect(run.stdout.contains("Total input tokens:                      36"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any])
        #expect(json["completed"] as? Int == 3)
        #expect(json["failed"] as? Int == 0)
        #expect(json["total_output_tokens"] as? Int == 12)
        #expect(json["model_id"] as? String == "fake-model")
        #expect(json["input_lens"] as? [Int] == [12, 12, 12])
        #expect(server.bodies.count == 3)

        let refused = try CLITests().swiftlet("bench", "serve", "--base-url", "http://127.0.0.1:\(closedPort())",
                                              "--model", "m", "--num-prompts", "2", "--input-len", "4", "--output-len", "2")
        #expect(refused.status == 0)
        #expect(refused.stdout.contains("Failed requests:                         2"))
        #expect(refused.stderr.contains("bench serve: first error: connection error: connect to 127.0.0.1:"))
    }
}
