import Foundation
import Testing

/// `bench latency --profile --batch-size` and `bench machine` as a user runs them: which steps
/// the profile keeps, the table's rows, the JSON figures.
extension CLITests {
    /// Two 4-token prompts, 3 output tokens: step 1 prefills both (not profiled), steps 2 and 3
    /// decode both (the two profiled steps).
    @Test func benchLatencyProfileKeepsTheFullDecodeSteps() throws {
        try requireModel()
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("bench-profile-\(getpid()).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let run = try swiftlet("bench", "latency", "--profile", "--batch-size", "2", "--input-len", "4",
                               "--output-len", "3", "--num-iters", "1", "--no-roofline", "--output-json", json.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("profile:        2 decode steps of batch 2 (engine path)"))
        for label in ["matmul q/k/v projection", "matmul attn output proj", "matmul FFN gate/up", "matmul FFN down",
                      "matmul lm_head (logits)", "attention (+ KV write)", "RMS norms", "rope", "other elementwise",
                      "sampling", "scheduling/bookkeeping", "sync (pool join wait)", "sum"] {
            #expect(run.stdout.contains("\n  " + label), "\(label)")
        }
        #expect(!run.stdout.contains("roofline:"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(object["num_decode_steps"] as? Int == 2)
        #expect(object["batch_size"] as? Int == 2)
        #expect(object["path"] as? String == "engine")
        let profile = try #require(object["profile"] as? [String: Any])
        #expect(profile["num_steps"] as? Int == 2)
        #expect(profile.keys.filter { $0.hasSuffix("_ms") }.count == 14)  // 13 categories (moe_routing 0 here) and the step
    }

    /// One row per thread count, and the probes' layout on this CPU.
    @Test func benchMachineReportsEachThreadCount() throws {
        let run = try swiftlet("bench", "machine", "--threads", "2", "--passes", "1", "--size", "4MiB")
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines.dropFirst().first == "threads  stream read GB/s  f32 FMA GFLOP/s  int8 dot GOP/s")
        #expect(lines.dropFirst(2).first?.hasPrefix("      1  ") == true)
        #expect(lines.dropFirst(3).first?.hasPrefix("      2  ") == true)
    }
}
