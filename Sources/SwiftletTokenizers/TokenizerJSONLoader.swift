import Foundation
import SwiftletJSON

/// Reads a Hugging Face tokenizer.json (and optional tokenizer_config.json) into a `TokenizerSpec`.
/// Supported: BPE models with a ByteLevel pipeline (GPT-2, SmolLM, Llama 3, Qwen2 splits) or with
/// SentencePiece-style normalization and byte fallback (Llama 2, Mistral, Gemma).
enum TokenizerJSONLoader {
    static func spec(json: Data, config: Data?) throws(TokenizerError) -> TokenizerSpec {
        let root = try object(parse(json, name: "tokenizer.json"), field: "(root)")
        let model = try object(root["model"], field: "model")
        let type = model["type"]?.stringValue ?? "BPE"
        guard type == "BPE" else { throw .unsupported(field: "model.type", value: type) }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let affix = model[key]?.stringValue, !affix.isEmpty { throw .unsupported(field: "model." + key, value: affix) }
        }
        guard let vocab = model["vocab"]?.objectValue else {
            throw .malformedJSON(field: "model.vocab", reason: "expected an object of token -> id")
        }
        let merges = try mergeLines(model["merges"])
        let added = try addedTokens(root["added_tokens"])

        var maxID = -1
        var pairs: [(String, Int)] = []
        pairs.reserveCapacity(vocab.count + added.count)
        for (text, value) in vocab {
            guard let id = value.intValue, id >= 0, id < 10_000_000 else {
                throw .malformedJSON(field: "model.vocab[\(text)]", reason: "expected a token id in 0..<10000000")
            }
            pairs.append((text, id))
            maxID = max(maxID, id)
        }
        for token in added {
            pairs.append((token.content, token.id))
            maxID = max(maxID, token.id)
        }
        var tokens = [String](repeating: "", count: maxID + 1)
        for (text, id) in pairs { tokens[id] = text }

        let pipeline = try TokenizerJSONPipeline(root: root, byteFallback: model["byte_fallback"]?.boolValue ?? false)
        var vocabulary = TokenizerVocabulary(
            model: pipeline.model, preTokenizer: "default", tokens: tokens, merges: merges,
            addSpacePrefix: pipeline.spacePrefix != .none)
        let lookup: (String) -> Int? = { text in
            if let id = vocab[text]?.intValue { return id }
            return added.first { $0.content == text }?.id
        }
        if let unknown = model["unk_token"]?.stringValue { vocabulary.unknownTokenID = lookup(unknown) }
        if let bos = pipeline.bosToken {
            vocabulary.bosTokenID = lookup(bos)
            vocabulary.addBOS = vocabulary.bosTokenID != nil
        }
        if let eos = pipeline.eosToken {
            vocabulary.eosTokenID = lookup(eos)
            vocabulary.addEOS = vocabulary.eosTokenID != nil
        }
        if let config {
            try applyConfig(config, to: &vocabulary, lookup: lookup)
        }
        var spec = TokenizerSpec(
            vocabulary: vocabulary, addedTokens: added, ignoreMerges: model["ignore_merges"]?.boolValue ?? false,
            preTokenizerKind: pipeline.preTokenizer, byteLevelUsesUnknown: vocabulary.unknownTokenID != nil)
        spec.spacePrefix = pipeline.spacePrefix
        spec.splitsOnSpaceMarker = pipeline.splitsOnSpaceMarker
        spec.stripsLeadingSpace = pipeline.stripsLeadingSpace
        spec.normalizesNFC = pipeline.normalizesNFC
        return spec
    }

    /// The JSON document in `data`; a syntax error names the file and the byte where it is.
    static func parse(_ data: Data, name: String) throws(TokenizerError) -> JSONValue {
        do throws(JSONParseError) {
            return try JSONValue(parsing: data)
        } catch {
            throw .malformedJSON(field: "(root)", reason: "\(name) is not valid JSON: \(error.message) at byte \(error.offset)")
        }
    }

    static func object(_ value: JSONValue?, field: String) throws(TokenizerError) -> JSONObject {
        guard let object = value?.objectValue else { throw .malformedJSON(field: field, reason: "expected an object") }
        return object
    }

    /// Merges as "left right" lines; tokenizer.json stores either such strings or [left, right] pairs.
    private static func mergeLines(_ value: JSONValue?) throws(TokenizerError) -> [String] {
        guard let value else { return [] }
        guard let list = value.arrayValue else { throw .malformedJSON(field: "model.merges", reason: "expected an array") }
        var lines: [String] = []
        lines.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            if let line = item.stringValue {
                lines.append(line)
            } else if let pair = item.arrayValue, pair.count == 2, let left = pair[0].stringValue, let right = pair[1].stringValue {
                lines.append(left + " " + right)
            } else {
                throw .malformedJSON(field: "model.merges[\(index)]", reason: "expected \"a b\" or [\"a\", \"b\"]")
            }
        }
        return lines
    }

    static func addedTokens(_ value: JSONValue?) throws(TokenizerError) -> [TokenizerSpec.AddedToken] {
        guard let value else { return [] }
        guard let list = value.arrayValue else { throw .malformedJSON(field: "added_tokens", reason: "expected an array") }
        var tokens: [TokenizerSpec.AddedToken] = []
        for (index, item) in list.enumerated() {
            let field = "added_tokens[\(index)]"
            let entry = try object(item, field: field)
            guard let id = entry["id"]?.intValue, id >= 0, id < 10_000_000 else {
                throw .malformedJSON(field: field + ".id", reason: "expected a token id in 0..<10000000")
            }
            guard let content = entry["content"]?.stringValue else {
                throw .malformedJSON(field: field + ".content", reason: "expected a string")
            }
            tokens.append(TokenizerSpec.AddedToken(
                id: id, content: content, special: entry["special"]?.boolValue ?? false,
                lstrip: entry["lstrip"]?.boolValue ?? false, rstrip: entry["rstrip"]?.boolValue ?? false))
        }
        return tokens
    }

    /// tokenizer_config.json: bos/eos/pad/unk token names and add_bos_token/add_eos_token flags.
    private static func applyConfig(
        _ data: Data, to vocabulary: inout TokenizerVocabulary, lookup: (String) -> Int?
    ) throws(TokenizerError) {
        let config = try object(parse(data, name: "tokenizer_config.json"), field: "(root)")
        func tokenID(_ key: String) throws(TokenizerError) -> Int? {
            guard let value = config[key], !value.isNull else { return nil }
            let name = value.stringValue ?? value["content"]?.stringValue
            guard let name else { throw .malformedJSON(field: key, reason: "expected a token string or {content}") }
            guard let id = lookup(name) else {
                throw .malformedJSON(field: key, reason: "token '\(name)' is not in the vocabulary")
            }
            return id
        }
        if let id = try tokenID("bos_token") { vocabulary.bosTokenID = id }
        if let id = try tokenID("eos_token") { vocabulary.eosTokenID = id }
        if let id = try tokenID("pad_token") { vocabulary.paddingTokenID = id }
        if let id = try tokenID("unk_token") { vocabulary.unknownTokenID = id }
        if let flag = config["add_bos_token"]?.boolValue { vocabulary.addBOS = flag }
        if let flag = config["add_eos_token"]?.boolValue { vocabulary.addEOS = flag }
    }
}

extension Tokenizer {
    /// Builds a tokenizer from a Hugging Face tokenizer.json file, and optionally its tokenizer_config.json.
    public convenience init(tokenizerJSON url: URL, config configURL: URL? = nil) throws(TokenizerError) {
        func read(_ url: URL) throws(TokenizerError) -> Data {
            do {
                return try Data(contentsOf: url)
            } catch {
                throw .unreadableFile(path: url.path, reason: error.localizedDescription)
            }
        }
        let config = try configURL.map { (url: URL) throws(TokenizerError) -> Data in try read(url) }
        try self.init(tokenizerJSONData: read(url), configData: config)
    }

    /// Builds a tokenizer from tokenizer.json contents, and optionally tokenizer_config.json contents.
    public convenience init(tokenizerJSONData: Data, configData: Data? = nil) throws(TokenizerError) {
        try self.init(spec: TokenizerJSONLoader.spec(json: tokenizerJSONData, config: configData))
    }
}
