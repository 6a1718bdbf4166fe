import Foundation
import Testing

/// The `swiftlet` executable as a user runs it: output formats, exit codes, error lines.
@Suite struct CLITests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the swiftlet binary built next to this test bundle, from the repository root.
    func swiftlet(_ arguments: String...) throws -> Run {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var binary = directory.appendingPathComponent("swiftlet")
        if !FileManager.default.isExecutableFile(atPath: binary.path) {
            binary = Self.repoRoot.appendingPathComponent(".build/debug/swiftlet")
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func requireModel() throws {
        let path = Self.repoRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        try #require(FileManager.default.fileExists(atPath: path), "missing \(path): run scripts/fetch-model")
    }

    @Test func tokenizeJSONGivesIdsAndTokens() throws {
        try requireModel()
        let run = try swiftlet("tokenize", "--json", "Hello world 12")
        #expect(run.status == 0)
        #expect(run.stdout == #"{"ids":[19556,905,216,33,34],"tokens":["Hello","Ġworld","Ġ","1","2"]}"# + "\n")
        let special = try swiftlet("tokenize", "--json", "--special", "<|im_start|>user")
        #expect(special.stdout.hasPrefix(#"{"ids":[1,4093]"#))
        let plain = try swiftlet("tokenize", "--json", "<|im_start|>user")
        #expect(!plain.stdout.hasPrefix(#"{"ids":[1,"#))
    }

    @Test func generateJSONIsGreedyParis() throws {
        try requireModel()
        let run = try swiftlet("generate", "--prompt", "The capital of France is", "--temperature", "0",
                               "--max-tokens", "2", "--json", "--logprobs", "1")
        #expect(run.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["output_token_ids"] as? [Int] == [7042, 30])
        #expect(object["text"] as? String == " Paris.")
        #expect(object["finish_reason"] as? String == "length")
        #expect(object["prompt_token_ids"] as? [Int] == [504, 3575, 282, 4649, 314])
        #expect((object["logprobs"] as? [Any])?.count == 2)
    }

    /// generate runs on the engine, so stop strings apply (the single-request driver it replaced ignored them).
    @Test func generateStopsAtAStopString() throws {
        try requireModel()
        let run = try swiftlet("generate", "--prompt", "The capital of France is", "--temperature", "0",
                               "--max-tokens", "6", "--stop", ".", "--json")
        #expect(run.status == 0)
        #expect(run.stdout == #"{"finish_reason":"stop","output_token_ids":[7042,30],"prompt":"The capital of France is","prompt_token_ids":[504,3575,282,4649,314],"stop_reason":".","text":" Paris"}"# + "\n")
    }

    @Test func inspectShowsTheModel() throws {
        try requireModel()
        let run = try swiftlet("inspect")
        #expect(run.status == 0)
        #expect(run.stdout.contains("architecture: llama"))
        #expect(run.stdout.contains("Q4_1      210 tensors"))
        #expect(run.stdout.contains("byte-level BPE, 49152 tokens"))
    }

    @Test func errorsAreOneLineAndExitOne() throws {
        let missing = try swiftlet("inspect", "--model", "/nonexistent.gguf")
        #expect(missing.status == 1)
        #expect(missing.stderr == "swiftlet: /nonexistent.gguf: no such file or directory\n")
        try requireModel()
        let long = try swiftlet("generate", "--prompt", "one two three four", "--max-model-len", "3")
        #expect(long.status == 1)
        #expect(long.stderr.contains("swiftlet: the prompt has 4 tokens, but the model's context (max-model-len) is 3 tokens"))
        let both = try swiftlet("generate")
        #expect(both.status != 0 && both.stderr.contains("give exactly one of --prompt, --prompt-file and --prompt-token-ids"))
        // --quantization quantizes unquantized Hugging Face checkpoints only
        let gguf = try swiftlet("generate", "--prompt", "hi", "--quantization", "fp8")
        #expect(gguf.status == 1)
        #expect(gguf.stderr.contains("--quantization fp8 applies to Hugging Face checkpoints of unquantized weights, not to GGUF files"))
        let unknown = try swiftlet("generate", "--prompt", "hi", "--quantization", "awq")
        #expect(unknown.status != 0 && unknown.stderr.contains("--quantization must be one of fp8, int8, got 'awq'"))
    }

    /// --speculative-config (vLLM's JSON) on the single-request commands: greedy output unchanged
    /// with n-gram, suffix and draft-model drafts, methods and fields this engine does not run refused by
    /// name, a draft model that is not there named in the error.
    @Test func speculativeConfigFlag() throws {
        try requireModel()
        let prompt = "Days: Monday, Tuesday, Wednesday, Thursday. Again: Monday,"
        let ngram = #"{"method": "ngram", "num_speculative_tokens": 3, "prompt_lookup_max": 3, "prompt_lookup_min": 2}"#
        let spec = try swiftlet("generate", "--prompt", prompt, "--temperature", "0", "--max-tokens", "12", "--speculative-config", ngram)
        let plain = try swiftlet("generate", "--prompt", prompt, "--temperature", "0", "--max-tokens", "12")
        #expect(spec.status == 0 && spec.stdout == plain.stdout && spec.stdout.hasPrefix(" Tuesday, Wednesday"), "\(spec.stdout)")
        let suffix = try swiftlet("generate", "--prompt", prompt, "--temperature", "0", "--max-tokens", "12", "--speculative-config", #"{"method": "suffix"}"#)
        #expect(suffix.status == 0 && suffix.stdout == plain.stdout, "\(suffix.stderr)")
        let eagle = try swiftlet("generate", "--prompt", "hi", "--speculative-config", #"{"method": "eagle", "num_speculative_tokens": 2}"#)
        #expect(eagle.status != 0 && eagle.stderr.contains(#"--speculative-config: the method "eagle" is not implemented (supported: ngram, suffix, draft_model)"#))
        // a draft model (here the same file drafting for itself: every draft accepted)
        let modelPath = Self.repoRoot.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        let draft = try swiftlet("generate", "--prompt", prompt, "--temperature", "0", "--max-tokens", "12", "--speculative-config",
                                 #"{"model": "\#(modelPath)", "num_speculative_tokens": 3}"#)
        #expect(draft.status == 0 && draft.stdout == plain.stdout, "\(draft.stdout) \(draft.stderr)")
        #expect(draft.stderr.contains("100.0%)"), "\(draft.stderr)")
        let missing = try swiftlet("generate", "--prompt", "hi", "--speculative-config", #"{"model": "/nonexistent/draft.gguf", "num_speculative_tokens": 2}"#)
        #expect(missing.status != 0 && missing.stderr.contains("/nonexistent/draft.gguf"), "\(missing.stderr)")
        let field = try swiftlet("bench", "throughput", "--speculative-config", #"{"method": "ngram", "num_speculative_tokens": 2, "speculative_token_tree": "x"}"#)
        #expect(field.status != 0 && field.stderr.contains(#"the field "speculative_token_tree" is not supported"#))
    }

    /// bench perplexity chunks and scores the text as llama.cpp's llama-perplexity: on the shipped
    /// text, 4 chunks of 128 tokens, the second half of each scored (252 predictions). llama.cpp
    /// (llama-cpp-python 0.3.36 sdist, `llama-perplexity -c 128 -b 128 --chunks 4`) measured
    /// 26.4168 on this file; Swiftlet reads the Q4_1 weights against 16-bit rather than 8-bit
    /// activations, so the two differ by about 0.4% (with the F16 file by 6e-5, 3 chunks of 512).
    @Test func benchPerplexityScoresAsLlamaPerplexity() throws {
        try requireModel()
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-ppl-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: json) }
        let run = try swiftlet("bench", "perplexity", "--ctx-size", "128", "--chunks", "4", "--output-json", json.path)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        #expect(object["scored_tokens"] as? Double == 252 && object["num_chunks"] as? Double == 4)
        let perplexity = try #require(object["perplexity"] as? Double)
        #expect(abs(perplexity / 26.4168 - 1) < 0.01, "\(perplexity)")
    }
}
