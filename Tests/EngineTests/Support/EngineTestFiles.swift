import Foundation
import ModelFormats

/// Paths of the real model files (fetched by scripts/fetch-model) and of fixtures shared with
/// other test targets, found from this file's location in the repository.
enum EngineTestFiles {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Missing: Error, CustomStringConvertible { var description: String }

    /// A model under models/; the error names the command that fetches it.
    static func model(_ name: String, fetch: String) throws -> String {
        let path = repoRoot.appendingPathComponent("models/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw Missing(description: "missing \(path): run scripts/fetch-model \(fetch)")
        }
        return path
    }

    static func smolLM() throws -> String { try model("SmolLM2-135M-Instruct.Q4_1.gguf", fetch: "smollm2") }
    static func gemma() throws -> String { try model("gemma-3-270m-q4_k_m.gguf", fetch: "gemma3") }

    /// A file under Tests/ (fixtures of other test targets).
    static func testFile(_ relative: String) -> URL {
        repoRoot.appendingPathComponent("Tests").appendingPathComponent(relative)
    }

    /// A fresh empty directory under the system's temporary folder.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swiftlet-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// One entry of the tokenizer reference corpus (ids from independent implementations).
    struct CorpusEntry: Decodable {
        var text: String
        var ids: [Int]
        var ids_parse_special: [Int]
    }

    static func corpus(_ name: String) throws -> [CorpusEntry] {
        let data = try Data(contentsOf: testFile("SwiftletTokenizersTests/Fixtures/tok_expected_\(name).json"))
        return try JSONDecoder().decode([CorpusEntry].self, from: data)
    }

    /// A small Hugging Face directory around SmolLM2's real config.json and tokenizer.json: the
    /// weights are a tiny safetensors file (what ModelFiles reads is the container, not the values).
    static func makeSmolLMDirectory(chatTemplateInConfig template: String?) throws -> URL {
        let dir = try temporaryDirectory()
        let fm = FileManager.default
        try fm.copyItem(at: testFile("ModelFormatsTests/Fixtures/configs/SmolLM2-135M-Instruct/config.json"),
                        to: dir.appendingPathComponent("config.json"))
        try fm.copyItem(at: testFile("ModelFormatsTests/Fixtures/configs/SmolLM2-135M-Instruct/generation_config.json"),
                        to: dir.appendingPathComponent("generation_config.json"))
        try fm.copyItem(at: testFile("SwiftletTokenizersTests/Fixtures/smollm2_tokenizer.json"),
                        to: dir.appendingPathComponent("tokenizer.json"))
        var config: [String: Any] = ["bos_token": "<|im_start|>", "eos_token": ["content": "<|im_end|>", "lstrip": false],
                                     "add_bos_token": false, "model_max_length": 8192]
        if let template { config["chat_template"] = [["name": "default", "template": template], ["name": "tool_use", "template": "T"]] }
        try JSONSerialization.data(withJSONObject: config).write(to: dir.appendingPathComponent("tokenizer_config.json"))
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        try writer.add(name: "model.norm.weight", shape: [576], floats: [Float](repeating: 1, count: 576))
        try writer.write(to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }
}
