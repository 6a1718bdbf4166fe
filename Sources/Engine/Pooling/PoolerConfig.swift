import Foundation
import Models

/// How an embedding model pools and how long its inputs may be (vLLM's `PoolerConfig` plus the
/// model's length limit), read from a sentence-transformers directory: modules.json names the
/// modules; the Pooling module's config.json picks the pooling mode; a Normalize module means
/// L2-normalized outputs; sentence_bert_config.json's max_seq_length caps the input and its
/// do_lower_case lowercases it. Modules other than Transformer, Pooling and Normalize (a Dense
/// projection, say) are refused by name. A directory without modules.json pools the [CLS] token
/// and normalizes (vLLM's default for BERT).
public struct PoolerConfig: Sendable, Equatable {
    public var poolingType: PoolingType
    public var normalize: Bool
    /// Most tokens one input may have ([CLS] and [SEP] included); nil: the model's positions.
    public var maxSeqLength: Int?
    /// Lowercase texts before tokenizing (sentence-transformers' do_lower_case).
    public var doLowerCase: Bool

    public init(poolingType: PoolingType, normalize: Bool, maxSeqLength: Int? = nil, doLowerCase: Bool = false) {
        self.poolingType = poolingType
        self.normalize = normalize
        self.maxSeqLength = maxSeqLength
        self.doLowerCase = doLowerCase
    }

    /// The sentence-transformers modules this engine runs, by the end of their type name.
    static let supportedModules = [".Transformer", ".Pooling", ".Normalize"]

    struct Module: Decodable {
        var path: String
        var type: String
    }

    struct PoolingModeFile: Decodable {
        var clsToken: Bool?
        var meanTokens: Bool?
        var maxTokens: Bool?
        var meanSqrtLenTokens: Bool?
        var weightedMeanTokens: Bool?
        var lastToken: Bool?
        enum CodingKeys: String, CodingKey {
            case clsToken = "pooling_mode_cls_token", meanTokens = "pooling_mode_mean_tokens"
            case maxTokens = "pooling_mode_max_tokens", meanSqrtLenTokens = "pooling_mode_mean_sqrt_len_tokens"
            case weightedMeanTokens = "pooling_mode_weightedmean_tokens", lastToken = "pooling_mode_lasttoken"
        }
    }

    struct SentenceBertFile: Decodable {
        var maxSeqLength: Int?
        var doLowerCase: Bool?
        enum CodingKeys: String, CodingKey { case maxSeqLength = "max_seq_length", doLowerCase = "do_lower_case" }
    }

    /// The pooling of the sentence-transformers directory `directory`.
    public static func load(directory: URL) throws -> PoolerConfig {
        let fm = FileManager.default
        let modulesURL = directory.appendingPathComponent("modules.json")
        var config = PoolerConfig(poolingType: .cls, normalize: true)
        if fm.fileExists(atPath: modulesURL.path) {
            let modules = try decode([Module].self, at: modulesURL)
            if let other = modules.first(where: { module in !supportedModules.contains { module.type.hasSuffix($0) } }) {
                throw ModelLoadError.badField(path: modulesURL.path, field: "type",
                                              reason: "module '\(other.type)' is not supported (Transformer, Pooling and Normalize are)")
            }
            config.normalize = modules.contains { $0.type.hasSuffix(".Normalize") }
            if let pooling = modules.first(where: { $0.type.hasSuffix(".Pooling") }) {
                guard !pooling.path.contains(".."), !pooling.path.hasPrefix("/") else {
                    throw ModelLoadError.badField(path: modulesURL.path, field: "path", reason: "'\(pooling.path)' leaves the model directory")
                }
                let url = directory.appendingPathComponent(pooling.path).appendingPathComponent("config.json")
                config.poolingType = try poolingType(decode(PoolingModeFile.self, at: url), path: url.path)
            }
        }
        let sentenceBert = directory.appendingPathComponent("sentence_bert_config.json")
        if fm.fileExists(atPath: sentenceBert.path) {
            let file = try decode(SentenceBertFile.self, at: sentenceBert)
            if let length = file.maxSeqLength, length < 1 {
                throw ModelLoadError.badField(path: sentenceBert.path, field: "max_seq_length", reason: "must be at least 1, got \(length)")
            }
            config.maxSeqLength = file.maxSeqLength
            config.doLowerCase = file.doLowerCase ?? false
        }
        return config
    }

    static func poolingType(_ file: PoolingModeFile, path: String) throws -> PoolingType {
        var chosen: [PoolingType] = []
        if file.meanTokens == true { chosen.append(.mean) }
        if file.clsToken == true { chosen.append(.cls) }
        if file.lastToken == true { chosen.append(.last) }
        for (on, name) in [(file.maxTokens, "pooling_mode_max_tokens"), (file.meanSqrtLenTokens, "pooling_mode_mean_sqrt_len_tokens"),
                           (file.weightedMeanTokens, "pooling_mode_weightedmean_tokens")] where on == true {
            throw ModelLoadError.badField(path: path, field: name, reason: "this pooling mode is not implemented (mean, cls and last token are)")
        }
        guard chosen.count == 1 else {
            throw ModelLoadError.badField(path: path, field: "pooling_mode_*", reason: "exactly one of mean, cls and last token pooling must be on, found \(chosen.count)")
        }
        return chosen[0]
    }

    private static func decode<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelLoadError.missingFile(directory: url.deletingLastPathComponent().path, name: url.lastPathComponent)
        }
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw ModelLoadError.decoding(path: url.path, error)
        } catch {
            throw ModelLoadError.malformedJSON(path: url.path, reason: "\(error)")
        }
    }
}
