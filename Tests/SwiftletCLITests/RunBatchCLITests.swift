import Foundation
import Testing

/// `swiftlet run-batch` as a user runs it: a batch file in, the output file in input order, the
/// progress bar and summary on stderr, bad arguments refused before the model loads.
extension CLITests {
    @Test func runBatchWritesTheOutputFile() throws {
        try requireModel()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.jsonl"), output = directory.appendingPathComponent("out.jsonl")
        try [
            #"{"custom_id": "a", "method": "POST", "url": "/v1/completions", "body": {"prompt": "The capital of France is", "max_tokens": 2, "temperature": 0}}"#,
            #"{"custom_id": "b", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 3}}"#,
            #"{"custom_id": "c", "method": "POST", "url": "/v1/completions", "body": {"prompt": "x", "temperature": 9}}"#,
        ].joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let run = try swiftlet("run-batch", "-i", input.path, "-o", output.path, "--served-model-name", "m",
                               "--max-model-len", "256", "--kv-cache-memory", "64MiB")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("Running batch: 100% Completed | 3/3"))
        #expect(run.stderr.contains("Batch complete: 2 succeeded, 1 failed"))
        let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects.map { $0["custom_id"] as? String } == ["a", "b", "c"])
        let first = try #require((objects[0]["response"] as? [String: Any])?["body"] as? [String: Any])
        #expect((first["choices"] as? [[String: Any]])?.first?["text"] as? String == " Paris.")
        #expect(((objects[1]["response"] as? [String: Any])?["body"] as? [String: Any])?["model"] as? String == "m")
        #expect((objects[2]["response"] as? [String: Any])?["status_code"] as? Int == 400)

        let missing = try swiftlet("run-batch", "-i", directory.appendingPathComponent("none.jsonl").path, "-o", output.path)
        #expect(missing.status != 0 && missing.stderr.contains("cannot read the batch input file"))
        let remote = try swiftlet("run-batch", "-i", "https://example.com/in.jsonl", "-o", output.path)
        #expect(remote.status != 0 && remote.stderr.contains("run-batch reads and writes local files only"))
    }
}
