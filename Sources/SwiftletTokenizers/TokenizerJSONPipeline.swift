import SwiftletJSON

/// The normalizer, pre-tokenizer and post-processor of a tokenizer.json, reduced to what `Tokenizer` implements.
struct TokenizerJSONPipeline {
    typealias Object = JSONObject

    var model: TokenizerVocabulary.ModelKind = .gpt2
    var preTokenizer: PreTokenizerKind?
    var spacePrefix: SpacePrefix = .none
    var splitsOnSpaceMarker = false
    var stripsLeadingSpace = false
    var normalizesNFC = false
    var bosToken: String?
    var eosToken: String?

    init(root: Object, byteFallback: Bool) throws(TokenizerError) {
        let normalizers = try Self.flatten(root["normalizer"], list: "normalizers", field: "normalizer")
        let preTokenizers = try Self.flatten(root["pre_tokenizer"], list: "pretokenizers", field: "pre_tokenizer")
        let byteLevel = preTokenizers.contains { $0["type"]?.stringValue == "ByteLevel" }
        if byteLevel {
            model = .gpt2
            for step in normalizers {
                guard step["type"]?.stringValue == "NFC" else {
                    throw .unsupported(field: "normalizer.type", value: Self.types(normalizers))
                }
                normalizesNFC = true
            }
            preTokenizer = try Self.byteLevelKind(preTokenizers)
        } else {
            model = .llama
            try readSentencePieceSteps(normalizers: normalizers, preTokenizers: preTokenizers, byteFallback: byteFallback)
        }
        try readPostProcessor(root["post_processor"])
        if model == .llama { try readDecoder(root["decoder"]) }
    }

    private mutating func readSentencePieceSteps(
        normalizers: [Object], preTokenizers: [Object], byteFallback: Bool
    ) throws(TokenizerError) {
        var escapesSpaces = false
        for step in normalizers {
            switch step["type"]?.stringValue {
            case "Prepend" where step["prepend"]?.stringValue == "\u{2581}":
                spacePrefix = .always
            case "Replace" where Self.replaces(step, " ", with: "\u{2581}"):
                escapesSpaces = true
            default:
                throw .unsupported(field: "normalizer.type", value: step["type"]?.stringValue ?? "?")
            }
        }
        for step in preTokenizers {
            // Gemma: Split on " " after the normalizer replaced every space is a no-op.
            if escapesSpaces, step["type"]?.stringValue == "Split", step["pattern"]?["String"]?.stringValue == " " {
                continue
            }
            guard step["type"]?.stringValue == "Metaspace", step["replacement"]?.stringValue ?? "\u{2581}" == "\u{2581}" else {
                throw .unsupported(field: "pre_tokenizer.type", value: Self.types([step]))
            }
            escapesSpaces = true
            splitsOnSpaceMarker = step["split"]?.boolValue ?? true
            switch step["prepend_scheme"]?.stringValue ?? "always" {
            case "always": spacePrefix = .unlessSpace
            case "first": spacePrefix = .firstUnlessSpace
            case "never": spacePrefix = .none
            case let other: throw .unsupported(field: "pre_tokenizer.prepend_scheme", value: other)
            }
        }
        guard escapesSpaces || byteFallback else {
            throw .unsupported(field: "pre_tokenizer", value: "none (neither ByteLevel nor SentencePiece-style)")
        }
    }

    /// Strip(" ", start 1) or a Metaspace decoder that prepends: decoding drops one leading space.
    private mutating func readDecoder(_ value: JSONValue?) throws(TokenizerError) {
        for step in try Self.flatten(value, list: "decoders", field: "decoder") {
            switch step["type"]?.stringValue {
            case "Strip":
                stripsLeadingSpace = step["content"]?.stringValue == " " && (step["start"]?.intValue ?? 0) > 0
            case "Metaspace":
                stripsLeadingSpace = (step["prepend_scheme"]?.stringValue ?? "always") != "never"
            default:
                continue
            }
        }
    }

    private static func replaces(_ step: Object, _ pattern: String, with content: String) -> Bool {
        step["pattern"]?["String"]?.stringValue == pattern && step["content"]?.stringValue == content
    }

    private static func byteLevelKind(_ steps: [Object]) throws(TokenizerError) -> PreTokenizerKind {
        let names = steps.map { $0["type"]?.stringValue ?? "?" }
        func noPrefixSpace(_ step: Object) -> Bool { step["add_prefix_space"]?.boolValue != true }
        if names == ["ByteLevel"], steps[0]["use_regex"]?.boolValue ?? true, noPrefixSpace(steps[0]) { return .gpt2 }
        if names == ["Digits", "ByteLevel"], steps[0]["individual_digits"]?.boolValue == true,
           steps[1]["use_regex"]?.boolValue ?? true, noPrefixSpace(steps[1]) {
            return .smollm
        }
        if names == ["Split", "ByteLevel"], steps[1]["use_regex"]?.boolValue == false, noPrefixSpace(steps[1]) {
            let pattern = steps[0]["pattern"]?["Regex"]?.stringValue
            if pattern == PreTokenizerKind.llama3Pattern { return .llama3 }
            if pattern == PreTokenizerKind.qwen2Pattern { return .qwen2 }
            throw .unsupported(field: "pre_tokenizer.pretokenizers[0].pattern", value: pattern ?? "?")
        }
        throw .unsupported(field: "pre_tokenizer", value: types(steps))
    }

    /// TemplateProcessing's single template: special tokens before the sequence are BOS, after it EOS.
    private mutating func readPostProcessor(_ value: JSONValue?) throws(TokenizerError) {
        let steps = try Self.flatten(value, list: "processors", field: "post_processor")
        for step in steps {
            switch step["type"]?.stringValue {
            case "ByteLevel": continue
            case "TemplateProcessing":
                guard let single = Self.objects(step["single"]) else {
                    throw .malformedJSON(field: "post_processor.single", reason: "expected an array")
                }
                var seenSequence = false
                for piece in single {
                    if piece["Sequence"] != nil {
                        seenSequence = true
                    } else if let special = piece["SpecialToken"]?["id"]?.stringValue {
                        if seenSequence { eosToken = special } else { bosToken = special }
                    }
                }
            default:
                throw .unsupported(field: "post_processor.type", value: step["type"]?.stringValue ?? "?")
            }
        }
    }

    /// A step or a Sequence of steps as a flat list; null is empty.
    private static func flatten(_ value: JSONValue?, list: String, field: String) throws(TokenizerError) -> [Object] {
        guard let value, !value.isNull else { return [] }
        guard let object = value.objectValue else { throw .malformedJSON(field: field, reason: "expected an object") }
        if object["type"]?.stringValue == "Sequence" {
            guard let items = objects(object[list]) else {
                throw .malformedJSON(field: field + "." + list, reason: "expected an array of objects")
            }
            return items
        }
        return [object]
    }

    /// The elements of an array whose elements are all objects; nil for anything else.
    private static func objects(_ value: JSONValue?) -> [Object]? {
        guard let items = value?.arrayValue else { return nil }
        let objects = items.compactMap(\.objectValue)
        return objects.count == items.count ? objects : nil
    }

    private static func types(_ steps: [Object]) -> String {
        steps.map { $0["type"]?.stringValue ?? "?" }.joined(separator: "+")
    }
}
