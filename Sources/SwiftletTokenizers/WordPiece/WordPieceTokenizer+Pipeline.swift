import SwiftletJSON

extension WordPieceTokenizer {
    /// tokenizer.json's `normalizer`: null (none) or a `BertNormalizer`.
    static func normalizer(_ value: JSONValue?) throws(TokenizerError) -> BertNormalizer? {
        guard let value, !value.isNull else { return nil }
        let object = try TokenizerJSONLoader.object(value, field: "normalizer")
        let type = object["type"]?.stringValue ?? ""
        guard type == "BertNormalizer" else { throw .unsupported(field: "normalizer.type", value: type) }
        let lowercase = object["lowercase"]?.boolValue ?? true
        return BertNormalizer(cleanText: object["clean_text"]?.boolValue ?? true,
                              handleChineseChars: object["handle_chinese_chars"]?.boolValue ?? true,
                              stripAccents: object["strip_accents"]?.boolValue ?? lowercase,
                              lowercase: lowercase)
    }

    /// The ids a `TemplateProcessing` ("single": special tokens around sequence A) or
    /// `BertProcessing` ("cls", "sep") post-processor puts before and after one sequence; none for null.
    static func postProcessor(_ value: JSONValue?, lookup: (String) -> Int?) throws(TokenizerError) -> ([Int], [Int]) {
        guard let value, !value.isNull else { return ([], []) }
        let object = try TokenizerJSONLoader.object(value, field: "post_processor")
        let type = object["type"]?.stringValue ?? ""
        switch type {
        case "BertProcessing":
            func pair(_ key: String) throws(TokenizerError) -> Int {
                guard let list = object[key]?.arrayValue, list.count == 2, let id = list[1].intValue else {
                    throw .malformedJSON(field: "post_processor.\(key)", reason: "expected [token, id]")
                }
                return id
            }
            return ([try pair("cls")], [try pair("sep")])
        case "TemplateProcessing":
            guard let single = object["single"]?.arrayValue else {
                throw .malformedJSON(field: "post_processor.single", reason: "expected an array")
            }
            let specials = object["special_tokens"]?.objectValue
            var before: [Int] = [], after: [Int] = []
            var seenSequence = false
            for (index, piece) in single.enumerated() {
                let field = "post_processor.single[\(index)]"
                let entry = try TokenizerJSONLoader.object(piece, field: field)
                if entry["Sequence"] != nil {
                    guard !seenSequence else { throw .unsupported(field: field, value: "a second Sequence") }
                    seenSequence = true
                    continue
                }
                guard let special = entry["SpecialToken"]?.objectValue, let name = special["id"]?.stringValue else {
                    throw .malformedJSON(field: field, reason: "expected {\"SpecialToken\": {\"id\": ...}} or {\"Sequence\": ...}")
                }
                var ids: [Int] = []
                if let listed = specials?[name]?.objectValue?["ids"]?.arrayValue {
                    for id in listed {
                        guard let id = id.intValue else { throw .malformedJSON(field: "post_processor.special_tokens.\(name).ids", reason: "expected token ids") }
                        ids.append(id)
                    }
                } else if let id = lookup(name) {
                    ids = [id]
                } else {
                    throw .malformedJSON(field: field, reason: "special token '\(name)' is not in the vocabulary")
                }
                if seenSequence { after += ids } else { before += ids }
            }
            return (before, after)
        default:
            throw .unsupported(field: "post_processor.type", value: type)
        }
    }
}
