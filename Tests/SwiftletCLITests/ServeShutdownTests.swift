import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `swiftlet serve` as a process: port 0, SIGTERM with requests in flight, exit status.
@Suite(.serialized) struct ServeShutdownTests {
    static let model = "models/SmolLM2-135M-Instruct.Q4_1.gguf"

    func serve(shutdownTimeout: String) throws -> ServeProcess {
        try #require(FileManager.default.fileExists(atPath: CLITests.repoRoot.appendingPathComponent(Self.model).path),
                     "missing \(Self.model): run scripts/fetch-model")
        return try ServeProcess(arguments: [
            Self.model, "--port", "0", "--served-model-name", "smollm2", "--max-model-len", "2048",
            "--max-num-batched-tokens", "128", "--kv-cache-memory", "64MiB", "--max-num-seqs", "4",
            "--disable-log-requests", "--disable-log-stats", "--shutdown-timeout", shutdownTimeout,
        ])
    }

    func waitUntil(within seconds: Double = 60, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// `--shutdown-timeout 0`: SIGTERM aborts the stream at once; it still ends with a finish_reason
    /// abort chunk and [DONE]; the process exits 0 and the port closes.
    /// 2000 tokens take tens of seconds, so the stream is still running when the signal lands
    /// even if this test is descheduled for a while on a loaded machine (120 once finished first).
    @Test func sigtermAbortsAfterZeroGrace() async throws {
        let server = try serve(shutdownTimeout: "0")
        let port = try #require(await server.waitForPort(), "no startup line: \(server.stderr)")
        let stream = try #require(ServeStream(port: port, path: "/v1/completions",
            body: #"{"prompt":"Once upon a time","max_tokens":2000,"ignore_eos":true,"stream":true}"#))
        #expect(await waitUntil { stream.text.contains("data: {") })
        server.signal(SIGTERM)
        #expect(await waitUntil { stream.isEnded })
        #expect(stream.text.contains("\"finish_reason\":\"abort\""))
        #expect(stream.text.contains("data: [DONE]"))
        #expect(await server.waitForExit() == 0, "\(server.stderr)")
        #expect(!ServeStream.isOpen(port: port))
        #expect(server.stderr.contains("aborting 1 running"))
    }

    /// A generous grace period lets the stream finish normally (finish_reason length) after SIGINT.
    @Test func sigintLetsRequestsFinishWithinGrace() async throws {
        let server = try serve(shutdownTimeout: "120")
        let port = try #require(await server.waitForPort(), "no startup line: \(server.stderr)")
        let stream = try #require(ServeStream(port: port, path: "/v1/completions",
            body: #"{"prompt":"Once upon a time","max_tokens":24,"ignore_eos":true,"stream":true}"#))
        #expect(await waitUntil { stream.text.contains("data: {") })
        server.signal(SIGINT)
        #expect(await waitUntil(within: 120) { stream.isEnded })
        #expect(stream.text.contains("\"finish_reason\":\"length\""))
        #expect(!stream.text.contains("\"finish_reason\":\"abort\""))
        #expect(stream.text.contains("data: [DONE]"))
        #expect(await server.waitForExit(within: 120) == 0, "\(server.stderr)")
        #expect(!ServeStream.isOpen(port: port))
    }
}
