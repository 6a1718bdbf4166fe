import Foundation
import ModelFormats
import SwiftletTokenizers

extension ModelFiles {
    /// GGUF `tokenizer.ggml.model` values the tokenizers implement.
    public static let supportedGGUFTokenizerModels = ["gpt2", "llama"]

    /// Builds the model's tokenizer: from GGUF `tokenizer.ggml.*` metadata, or from an HF
    /// directory's `tokenizer.json` (with `tokenizer_config.json` when present).
    public func loadTokenizer() throws -> Tokenizer {
        switch container {
        case .gguf(let file):
            return try Tokenizer(vocabulary: Self.vocabulary(gguf: file.metadata, path: path))
        case .safetensors(let checkpoint):
            let json = checkpoint.directory.appendingPathComponent("tokenizer.json")
            guard FileManager.default.fileExists(atPath: json.path) else {
                throw ModelLoadError.missingFile(directory: path, name: "tokenizer.json")
            }
            let config = checkpoint.directory.appendingPathComponent("tokenizer_config.json")
            return try Tokenizer(tokenizerJSON: json,
                                 config: FileManager.default.fileExists(atPath: config.path) ? config : nil)
        }
    }

    /// Reads `tokenizer.ggml.*` into the plain vocabulary the tokenizers take.
    public static func vocabulary(gguf metadata: [String: GGUFValue], path: String) throws -> TokenizerVocabulary {
        let key = "tokenizer.ggml.model"
        guard let modelName = metadata[key]?.stringValue else {
            throw ModelLoadError.badField(path: path, field: key, reason: "missing: the file carries no tokenizer")
        }
        guard let model = TokenizerVocabulary.ModelKind(rawValue: modelName) else {
            throw ModelLoadError.unsupportedTokenizer(path: path, model: modelName, supported: supportedGGUFTokenizerModels)
        }
        guard case .strings(let tokens)? = metadata["tokenizer.ggml.tokens"]?.arrayValue else {
            throw ModelLoadError.badField(path: path, field: "tokenizer.ggml.tokens", reason: "missing or not an array of strings")
        }
        var scores: [Float]?
        switch metadata["tokenizer.ggml.scores"]?.arrayValue {
        case nil: break
        case .float32s(let values)?: scores = values
        default: throw ModelLoadError.badField(path: path, field: "tokenizer.ggml.scores", reason: "not an array of f32")
        }
        var types: [Int32]?
        switch metadata["tokenizer.ggml.token_type"]?.arrayValue {
        case nil: break
        case .int32s(let values)?: types = values
        case .uint32s(let values)?: types = values.map { Int32(truncatingIfNeeded: $0) }
        default: throw ModelLoadError.badField(path: path, field: "tokenizer.ggml.token_type", reason: "not an array of i32")
        }
        var merges: [String]?
        switch metadata["tokenizer.ggml.merges"]?.arrayValue {
        case nil: break
        case .strings(let values)?: merges = values
        default: throw ModelLoadError.badField(path: path, field: "tokenizer.ggml.merges", reason: "not an array of strings")
        }
        for (field, count) in [("tokenizer.ggml.scores", scores?.count), ("tokenizer.ggml.token_type", types?.count)] {
            if let count, count != tokens.count {
                throw ModelLoadError.badField(path: path, field: field,
                                              reason: "\(count) entries for \(tokens.count) tokens")
            }
        }
        func id(_ name: String) throws -> Int? {
            guard let value = metadata["tokenizer.ggml.\(name)"] else { return nil }
            guard let id = value.intValue, id >= 0, id < tokens.count else {
                throw ModelLoadError.badField(path: path, field: "tokenizer.ggml.\(name)",
                                              reason: "not a token id below \(tokens.count)")
            }
            return id
        }
        func flag(_ name: String, default value: Bool) -> Bool {
            metadata["tokenizer.ggml.\(name)"]?.boolValue ?? value
        }
        return TokenizerVocabulary(
            model: model,
            preTokenizer: metadata["tokenizer.ggml.pre"]?.stringValue ?? "default",
            tokens: tokens, scores: scores, tokenTypes: types, merges: merges,
            bosTokenID: try id("bos_token_id"), eosTokenID: try id("eos_token_id"),
            unknownTokenID: try id("unknown_token_id"), paddingTokenID: try id("padding_token_id"),
            // llama.cpp's defaults when a file omits the flags: SentencePiece-style vocabularies
            // add BOS and a space prefix, byte-level BPE ones do neither.
            addBOS: flag("add_bos_token", default: model == .llama),
            addEOS: flag("add_eos_token", default: false),
            addSpacePrefix: flag("add_space_prefix", default: model == .llama))
    }
}
