import Foundation

/// Chooses the config.json decoder by the file's own strings: `architectures[0]` first,
/// then `model_type`.
public enum HFConfigRegistry {
    /// The supported families.
    public static let families: [any HFConfigFamily.Type] = [
        LlamaFamily.self, MistralFamily.self, Qwen2Family.self, Qwen3Family.self,
    ]

    /// Supported `architectures[0]` names.
    public static var supportedArchitectureNames: [String] {
        families.map { $0.architectureName } + [Gemma3TextConfig.architectureName]
    }

    /// The family a config.json names, or a typed error listing the supported ones.
    public static func family(architectures: [String]?, modelType: String?, file: String) throws -> any HFConfigFamily.Type {
        if let name = architectures?.first, let family = families.first(where: { $0.architectureName == name }) {
            return family
        }
        if let modelType, let family = families.first(where: { $0.modelType == modelType }) {
            return family
        }
        throw ModelConfigError.unknownArchitecture(
            file: file, name: architectures?.first ?? modelType ?? "<no architectures or model_type>",
            supported: families.map { "\($0.architectureName) (\($0.modelType))" }
                + ["\(Gemma3TextConfig.architectureName) (\(Gemma3TextConfig.modelType))"])
    }

    /// Decodes config.json bytes into a validated `ModelConfig`; `path` names the file in errors.
    public static func modelConfig(configJSON data: Data, path: String) throws -> ModelConfig {
        do {
            let probe = try JSONDecoder().decode(HFArchitectureProbe.self, from: data)
            var config: ModelConfig
            if probe.names(architectures: [Gemma3TextConfig.architectureName], modelType: Gemma3TextConfig.modelType) {
                config = try JSONDecoder().decode(Gemma3TextConfig.self, from: data).modelConfig(file: path)
            } else {
                let family = try self.family(architectures: probe.architectures, modelType: probe.modelType, file: path)
                config = try decode(family, data: data, path: path)
            }
            config.quantization = try JSONDecoder().decode(QuantizationProbe.self, from: data).quantizationConfig?.config
            return config
        } catch ModelConfigError.invalidValue(let file, let field, let value, let reason) where file.isEmpty {
            throw ModelConfigError.invalidValue(file: path, field: field, value: value, reason: reason)
        } catch {
            throw ModelConfigError.from(error, file: path)
        }
    }

    private static func decode<F: HFConfigFamily>(_ family: F.Type, data: Data, path: String) throws -> ModelConfig {
        try JSONDecoder().decode(HFTransformerConfig<F>.self, from: data).modelConfig(file: path)
    }

    private struct QuantizationProbe: Decodable {
        let quantizationConfig: QuantizationConfigBox?
        enum CodingKeys: String, CodingKey { case quantizationConfig = "quantization_config" }
    }
}

/// The two strings of a config.json that say which model it is: `architectures` and `model_type`.
public struct HFArchitectureProbe: Decodable, Sendable {
    public let architectures: [String]?
    public let modelType: String?

    enum CodingKeys: String, CodingKey {
        case architectures, modelType = "model_type"
    }

    /// The probe of `directory`'s config.json; nil when it is missing or not such JSON.
    public static func read(directory: URL) -> HFArchitectureProbe? {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("config.json")) else { return nil }
        return try? JSONDecoder().decode(HFArchitectureProbe.self, from: data)
    }

    /// Whether `architectures[0]` is one of `names`, or, without architectures, `model_type` is `modelType`.
    public func names(architectures names: Set<String>, modelType type: String) -> Bool {
        if let name = architectures?.first { return names.contains(name) }
        return modelType == type
    }
}

extension ModelConfig {
    /// Reads a Hugging Face config.json (family chosen by `HFConfigRegistry`).
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelConfigError.io(file: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        self = try HFConfigRegistry.modelConfig(configJSON: data, path: url.path)
    }

    /// Decodes config.json bytes; `path` names the file in errors.
    public init(configJSON data: Data, path: String) throws {
        self = try HFConfigRegistry.modelConfig(configJSON: data, path: path)
    }
}
