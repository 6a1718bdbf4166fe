import Foundation
import Testing
@testable import SwiftletTokenizers
import Engine
import ModelFormats

/// Locations of fixtures and real model files, and cached tokenizers built from them.
enum TestResources {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name)
    }

    /// A model file under models/; fails with a message naming the fetch command when it is missing.
    static func model(_ name: String, fetchArgument: String) throws -> URL {
        let url = repoRoot.appendingPathComponent("models").appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            let command = fetchArgument.isEmpty ? "scripts/fetch-model smollm2" : "scripts/fetch-model \(fetchArgument)"
            throw MissingModel(description: "missing model file \(url.path): run \(command)")
        }
        return url
    }

    struct MissingModel: Error, CustomStringConvertible {
        var description: String
    }

    static let smolLMFile = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let gemmaFile = "gemma-3-270m-q4_k_m.gguf"

    private static let cache = TokenizerCache()

    static func smolLM() throws -> Tokenizer {
        try cache.get("smollm") {
            try Tokenizer(vocabulary: ggufVocabulary(model(smolLMFile, fetchArgument: "")))
        }
    }

    static func gemma() throws -> Tokenizer {
        try cache.get("gemma") {
            try Tokenizer(vocabulary: ggufVocabulary(model(gemmaFile, fetchArgument: "gemma3")))
        }
    }

    /// The vocabulary in a GGUF file's tokenizer.ggml.* metadata, read by the engine's real loader.
    static func ggufVocabulary(_ url: URL) throws -> TokenizerVocabulary {
        try ModelFiles.vocabulary(gguf: GGUFFile(path: url.path).metadata, path: url.path)
    }

    /// One reference corpus entry (scripts/fixtures/tok_reference.py).
    struct Expected: Decodable {
        var text: String
        var ids: [Int]
        var ids_parse_special: [Int]
        var roundtrip: Bool
        var decoded_skip_special: String
    }

    static func expected(_ name: String) throws -> [Expected] {
        try JSONDecoder().decode([Expected].self, from: Data(contentsOf: fixture("tok_expected_\(name).json")))
    }
}

/// Builds each tokenizer once per test process.
final class TokenizerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var tokenizers: [String: Tokenizer] = [:]

    func get(_ key: String, make: () throws -> Tokenizer) throws -> Tokenizer {
        lock.lock()
        defer { lock.unlock() }
        if let cached = tokenizers[key] { return cached }
        let made = try make()
        tokenizers[key] = made
        return made
    }
}
