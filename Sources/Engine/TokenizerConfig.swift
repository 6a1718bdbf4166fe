import Foundation

/// The fields of a Hugging Face `tokenizer_config.json` that the engine reads.
///
/// `chat_template` is either one string or a list of `{"name", "template"}` entries (the one
/// named "default" is the chat template); special tokens are either a string or an AddedToken
/// object `{"content": ...}`.
public struct TokenizerConfig: Sendable, Equatable, Decodable {
    public var chatTemplate: String?
    /// Named templates besides the default one (for example "tool_use").
    public var namedTemplates: [String: String] = [:]
    public var bosToken: String?
    public var eosToken: String?
    public var padToken: String?
    public var unkToken: String?
    public var addBOSToken: Bool?
    public var addEOSToken: Bool?
    public var modelMaxLength: Double?

    public init() {}

    /// Parses `tokenizer_config.json`; `path` names the file in errors.
    public init(data: Data, path: String) throws {
        do {
            self = try JSONDecoder().decode(TokenizerConfig.self, from: data)
        } catch let error as DecodingError {
            throw ModelLoadError.decoding(path: path, error)
        } catch {
            throw ModelLoadError.malformedJSON(path: path, reason: "\(error)")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case chatTemplate = "chat_template", bosToken = "bos_token", eosToken = "eos_token"
        case padToken = "pad_token", unkToken = "unk_token", addBOSToken = "add_bos_token"
        case addEOSToken = "add_eos_token", modelMaxLength = "model_max_length"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decodeIfPresent(TemplateField.self, forKey: .chatTemplate) {
        case .one(let text)?:
            chatTemplate = text
        case .named(let list)?:
            for entry in list {
                if entry.name == "default" { chatTemplate = entry.template } else { namedTemplates[entry.name] = entry.template }
            }
        case nil:
            break
        }
        bosToken = try c.decodeIfPresent(TokenField.self, forKey: .bosToken)?.content
        eosToken = try c.decodeIfPresent(TokenField.self, forKey: .eosToken)?.content
        padToken = try c.decodeIfPresent(TokenField.self, forKey: .padToken)?.content
        unkToken = try c.decodeIfPresent(TokenField.self, forKey: .unkToken)?.content
        addBOSToken = try c.decodeIfPresent(Bool.self, forKey: .addBOSToken)
        addEOSToken = try c.decodeIfPresent(Bool.self, forKey: .addEOSToken)
        modelMaxLength = try c.decodeIfPresent(Double.self, forKey: .modelMaxLength)
    }

    /// `chat_template`: a string, or a list of named templates.
    private enum TemplateField: Decodable {
        struct Named: Decodable { var name: String; var template: String }
        case one(String)
        case named([Named])
        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let text = try? c.decode(String.self) { self = .one(text); return }
            self = .named(try c.decode([Named].self))
        }
    }

    /// A special token: a string, or an AddedToken object with "content".
    private struct TokenField: Decodable {
        var content: String
        private enum Keys: String, CodingKey { case content }
        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) { content = text; return }
            content = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .content)
        }
    }
}
