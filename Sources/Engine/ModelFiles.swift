import Foundation
import ModelFormats

/// Everything a model source holds besides the engine's own state: the weights' container,
/// the model config, the generation defaults, the chat template text and the tokenizer input.
///
/// A source is a `.gguf` file or a Hugging Face directory (`config.json`, `*.safetensors`,
/// `tokenizer.json`, `tokenizer_config.json`, optional `generation_config.json` and
/// `chat_template.jinja`). Opening validates the containers; the config is decoded too, but a
/// config the engine cannot run is kept as an error so that `inspect` can still show the file.
public final class ModelFiles: Sendable {
    /// The weights' container.
    public enum Container: Sendable {
        case gguf(GGUFFile)
        case safetensors(SafeTensorsCheckpoint)
    }

    /// The path given to `open`.
    public let path: String
    public let container: Container
    /// The decoded config, or why it could not be decoded (an architecture the engine cannot run).
    public let config: Result<ModelConfig, any Error>
    /// Sampling defaults from `generation_config.json` (HF directories only).
    public let generationConfig: GenerationConfig?
    /// `tokenizer_config.json` (HF directories only).
    public let tokenizerConfig: TokenizerConfig?
    /// The chat template's source text, if the model has one.
    public let chatTemplateSource: String?
    /// Total bytes of the weight files.
    public let fileSize: Int

    private init(path: String, container: Container, config: Result<ModelConfig, any Error>,
                 generationConfig: GenerationConfig?, tokenizerConfig: TokenizerConfig?,
                 chatTemplateSource: String?, fileSize: Int) {
        self.path = path
        self.container = container
        self.config = config
        self.generationConfig = generationConfig
        self.tokenizerConfig = tokenizerConfig
        self.chatTemplateSource = chatTemplateSource
        self.fileSize = fileSize
    }

    /// Opens a `.gguf` file or a Hugging Face model directory.
    public static func open(_ path: String) throws -> ModelFiles {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelLoadError.notFound(path: path)
        }
        if isDirectory.boolValue {
            return try openDirectory(path)
        }
        return try openGGUF(path)
    }

    private static func openGGUF(_ path: String) throws -> ModelFiles {
        let file = try GGUFFile(path: path)
        let config = Result<ModelConfig, any Error> {
            try ModelConfig(ggufMetadata: file.metadata, path: path,
                            hasOutputTensor: file.tensor(named: "output.weight") != nil)
        }
        return ModelFiles(path: path, container: .gguf(file), config: config, generationConfig: nil,
                          tokenizerConfig: nil, chatTemplateSource: file.metadata["tokenizer.chat_template"]?.stringValue,
                          fileSize: file.fileSize)
    }

    private static func openDirectory(_ path: String) throws -> ModelFiles {
        let directory = URL(fileURLWithPath: path, isDirectory: true)
        let configURL = directory.appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: configURL.path) else {
            throw ModelLoadError.unrecognized(path: path)
        }
        let config = Result<ModelConfig, any Error> { try ModelConfig(contentsOf: configURL) }
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        let generationURL = directory.appendingPathComponent("generation_config.json")
        let generation = FileManager.default.fileExists(atPath: generationURL.path)
            ? try GenerationConfig(contentsOf: generationURL) : nil
        let tokenizerConfigURL = directory.appendingPathComponent("tokenizer_config.json")
        var tokenizerConfig: TokenizerConfig?
        if let data = FileManager.default.contents(atPath: tokenizerConfigURL.path) {
            tokenizerConfig = try TokenizerConfig(data: data, path: tokenizerConfigURL.path)
        }
        // Newer checkpoints keep the template in its own file; it wins over tokenizer_config.json.
        let templateURL = directory.appendingPathComponent("chat_template.jinja")
        var template = tokenizerConfig?.chatTemplate
        if let data = FileManager.default.contents(atPath: templateURL.path) {
            guard let text = String(data: data, encoding: .utf8) else {
                throw ModelLoadError.badField(path: templateURL.path, field: "(file)", reason: "not valid UTF-8")
            }
            template = text
        }
        let size = checkpoint.files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0)
        }
        return ModelFiles(path: path, container: .safetensors(checkpoint), config: config,
                          generationConfig: generation, tokenizerConfig: tokenizerConfig,
                          chatTemplateSource: template, fileSize: size)
    }

    /// Every tensor's name, stored type, shape (outermost dimension last, as GGUF lists it; HF
    /// shapes are reversed to match) and byte size, in file order.
    public var tensorSummaries: [TensorSummary] {
        switch container {
        case .gguf(let file):
            return file.tensors.map {
                TensorSummary(name: $0.name, typeName: $0.type.name, shape: $0.shape,
                              numElements: $0.numElements, byteCount: $0.byteCount)
            }
        case .safetensors(let checkpoint):
            return checkpoint.files.flatMap { file in
                file.tensors.map {
                    TensorSummary(name: $0.name, typeName: $0.dtype.rawValue, shape: $0.shape.reversed(),
                                  numElements: $0.numElements, byteCount: $0.numBytes)
                }
            }
        }
    }
}

/// One stored tensor, format-independent, for inspection.
public struct TensorSummary: Sendable, Equatable {
    public var name: String
    public var typeName: String
    public var shape: [Int]
    public var numElements: Int
    public var byteCount: Int
}
