import Foundation
import Models
import ModelFormats
import SwiftletTokenizers

extension ModelFiles {
    /// Names of the tokenizer files `writeTokenizerFiles(to:)` can write or copy, in writing order.
    public static let tokenizerFileNames = ["tokenizer.json", "tokenizer_config.json", "chat_template.jinja"]

    /// Writes this model's tokenizer as Hugging Face files into `directory` (created when missing), so that
    /// `GGUFToHF.export` plus this gives a complete HF model directory. Returns the names of the files written.
    ///
    /// A GGUF source gets `tokenizer.json` and `tokenizer_config.json` built from its `tokenizer.ggml.*`
    /// metadata (`TokenizerJSONWriter`), with the file's chat template and its context length as
    /// `model_max_length`. An HF directory source has its tokenizer files copied as they are.
    @discardableResult
    public func writeTokenizerFiles(to directory: URL) throws -> [String] {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw GGUFToHFError.cannotWrite(path: directory.path, reason: "\(error)")
        }
        switch container {
        case .gguf(let file):
            let writer = try TokenizerJSONWriter(vocabulary: Self.vocabulary(gguf: file.metadata, path: path))
            let maxLength = try? config.get().maxPositionEmbeddings
            try Self.write(writer.tokenizerJSON(), to: directory, name: "tokenizer.json")
            try Self.write(writer.tokenizerConfigJSON(chatTemplate: chatTemplateSource, modelMaxLength: maxLength),
                           to: directory, name: "tokenizer_config.json")
            return ["tokenizer.json", "tokenizer_config.json"]
        case .safetensors(let checkpoint):
            var written: [String] = []
            for name in Self.tokenizerFileNames {
                let source = checkpoint.directory.appendingPathComponent(name)
                guard let data = FileManager.default.contents(atPath: source.path) else { continue }
                let target = directory.appendingPathComponent(name)
                if source.standardizedFileURL.path != target.standardizedFileURL.path {
                    try Self.write(data, to: directory, name: name)
                }
                written.append(name)
            }
            guard written.contains("tokenizer.json") else {
                throw ModelLoadError.missingFile(directory: path, name: "tokenizer.json")
            }
            return written
        }
    }

    private static func write(_ data: Data, to directory: URL, name: String) throws {
        let url = directory.appendingPathComponent(name)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }
}
