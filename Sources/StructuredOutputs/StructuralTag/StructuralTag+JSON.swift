import SwiftletJSON

extension StructuralTag {
    /// Reads either JSON form of a structural tag:
    /// - `{"type": "structural_tag", "format": {...}}`, a tree of xgrammar format objects;
    /// - the legacy `{"type": "structural_tag", "structures": [{"begin", "schema", "end"}], "triggers": [...]}`
    ///   (a missing or null `schema` allows any JSON value).
    ///
    /// Format objects must name a supported `type` and only the fields xgrammar defines for it;
    /// fields with no effect here are refused unless they hold their default (`style: "json"`,
    /// `any_order: false`, `max_tokens: null`). Members of the outer object other than these are ignored.
    public init(json: JSONValue) throws(StructuralTagError) {
        guard let object = json.objectValue else { throw .invalid(message: "a structural tag must be a JSON object", path: "") }
        if let type = object["type"], type.stringValue != "structural_tag" {
            throw .invalid(message: "'type' must be \"structural_tag\"", path: "/type")
        }
        if let format = object["format"] {
            guard object["structures"] == nil, object["triggers"] == nil else {
                throw .invalid(message: "give either 'format' or the legacy 'structures' and 'triggers', not both", path: "")
            }
            self.init(format: try Self.format(format, path: "/format"))
            return
        }
        guard let structureValues = object["structures"]?.arrayValue else {
            throw .invalid(message: "a structural tag needs 'format' (or the legacy 'structures' and 'triggers')", path: "/format")
        }
        let triggers = try Self.strings(object["triggers"], path: "/triggers")
        var structures: [Structure] = []
        for (index, value) in structureValues.enumerated() {
            let reader = try FieldReader(value, path: "/structures/\(index)", allowed: ["begin", "schema", "end"])
            let schema = reader["schema"].flatMap { $0.isNull ? nil : $0 } ?? .object([:])
            structures.append(Structure(begin: try reader.string("begin"), schema: schema, end: try reader.string("end")))
        }
        self.init(triggers: triggers, structures: structures)
    }

    /// The JSON form of `text`, then `init(json:)`.
    public init(jsonText text: String) throws(StructuralTagError) {
        let value: JSONValue
        do { value = try JSONValue(parsing: text) } catch { throw .invalid(message: "not valid JSON: \(error)", path: "") }
        try self.init(json: value)
    }

    static func format(_ value: JSONValue, path: String) throws(StructuralTagError) -> Format {
        guard let type = value["type"]?.stringValue else {
            throw .invalid(message: "a format must be an object with a string 'type'", path: path)
        }
        func reader(_ fields: Set<String>) throws(StructuralTagError) -> FieldReader {
            try FieldReader(value, path: path, allowed: fields.union(["type"]))
        }
        switch type {
        case "const_string":
            return .constString(try reader(["value"]).string("value"))
        case "json_schema":
            let fields = try reader(["json_schema", "style", "any_order"])
            try fields.expectDefault("style", .string("json"))
            try fields.expectDefault("any_order", .bool(false))
            guard let schema = fields["json_schema"], schema.objectValue != nil || schema.boolValue != nil else {
                throw .invalid(message: "'json_schema' must be a JSON Schema (an object or a boolean)", path: path + "/json_schema")
            }
            return .jsonSchema(schema)
        case "regex":
            return .regex(try reader(["pattern"]).string("pattern"))
        case "any_text":
            let fields = try reader(["excludes", "max_tokens", "max_chars"])
            try fields.expectDefault("max_tokens", .null)
            try fields.expectDefault("max_chars", .null)
            return .anyText(excludes: try strings(fields["excludes"] ?? .array([]), path: path + "/excludes"))
        case "sequence", "or":
            let elements = try reader(["elements"]).array("elements")
            var formats: [Format] = []
            for (index, element) in elements.enumerated() { formats.append(try format(element, path: "\(path)/elements/\(index)")) }
            return type == "or" ? .or(formats) : .sequence(formats)
        case "optional", "star", "plus":
            guard let content = try reader(["content"])["content"] else { throw .invalid(message: "missing 'content'", path: path) }
            let inner = try format(content, path: path + "/content")
            return type == "optional" ? .optional(inner) : type == "star" ? .star(inner) : .plus(inner)
        case "tag":
            return .tag(try tag(value, path: path))
        case "triggered_tags":
            let fields = try reader(["triggers", "tags", "at_least_one", "stop_after_first", "excludes"])
            return .triggeredTags(TriggeredTags(
                triggers: try strings(fields["triggers"], path: path + "/triggers"), tags: try tags(fields, path: path),
                atLeastOne: try fields.bool("at_least_one"), stopAfterFirst: try fields.bool("stop_after_first"),
                excludes: try strings(fields["excludes"] ?? .array([]), path: path + "/excludes")))
        case "tags_with_separator":
            let fields = try reader(["tags", "separator", "at_least_one", "stop_after_first"])
            return .tagsWithSeparator(TagsWithSeparator(
                tags: try tags(fields, path: path), separator: try fields.string("separator"),
                atLeastOne: try fields.bool("at_least_one"), stopAfterFirst: try fields.bool("stop_after_first")))
        default:
            throw .unsupported(field: "type", message: "format type \(type.debugDescription) is not supported; supported: const_string, json_schema, regex, any_text, sequence, or, optional, star, plus, tag, triggered_tags, tags_with_separator",
                               path: path + "/type")
        }
    }

    static func tag(_ value: JSONValue, path: String) throws(StructuralTagError) -> Tag {
        let fields = try FieldReader(value, path: path, allowed: ["type", "begin", "content", "end"])
        if let type = value["type"], type.stringValue != "tag" {
            throw .invalid(message: "a tag must have type \"tag\"", path: path + "/type")
        }
        if let begin = fields["begin"], begin.stringValue == nil {
            throw .unsupported(field: "begin", message: "only a string begin is supported (not a token)", path: path + "/begin")
        }
        guard let content = fields["content"] else { throw .invalid(message: "missing 'content'", path: path) }
        let ends: [String]
        switch fields["end"] {
        case .string(let end)?: ends = [end]
        case .array?: ends = try strings(fields["end"], path: path + "/end")
        case nil: throw .invalid(message: "missing 'end'", path: path)
        default: throw .unsupported(field: "end", message: "only a string or a list of strings is supported (not a token)", path: path + "/end")
        }
        return Tag(begin: try fields.string("begin"), content: try format(content, path: path + "/content"), ends: ends)
    }

    static func tags(_ fields: FieldReader, path: String) throws(StructuralTagError) -> [Tag] {
        var tags: [Tag] = []
        for (index, value) in try fields.array("tags").enumerated() { tags.append(try tag(value, path: "\(path)/tags/\(index)")) }
        return tags
    }

    static func strings(_ value: JSONValue?, path: String) throws(StructuralTagError) -> [String] {
        guard let items = value?.arrayValue else { throw .invalid(message: "must be a list of strings", path: path) }
        var strings: [String] = []
        for item in items {
            guard let text = item.stringValue else { throw .invalid(message: "must be a list of strings", path: path) }
            strings.append(text)
        }
        return strings
    }
}

/// The fields of one JSON object of a structural tag, refusing any not in `allowed`.
struct FieldReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String, allowed: Set<String>) throws(StructuralTagError) {
        guard let object = value.objectValue else { throw .invalid(message: "must be a JSON object", path: path) }
        for key in object.keys where !allowed.contains(key) {
            throw .unsupported(field: key, message: "unknown field; allowed here: \(allowed.sorted().joined(separator: ", "))", path: path + "/" + key)
        }
        self.object = object
        self.path = path
    }

    subscript(key: String) -> JSONValue? { object[key] }

    func string(_ key: String) throws(StructuralTagError) -> String {
        guard let text = object[key]?.stringValue else { throw .invalid(message: "'\(key)' must be a string", path: path + "/" + key) }
        return text
    }

    func array(_ key: String) throws(StructuralTagError) -> [JSONValue] {
        guard let items = object[key]?.arrayValue else { throw .invalid(message: "'\(key)' must be a list", path: path + "/" + key) }
        return items
    }

    /// False when absent.
    func bool(_ key: String) throws(StructuralTagError) -> Bool {
        guard let value = object[key], !value.isNull else { return false }
        guard let flag = value.boolValue else { throw .invalid(message: "'\(key)' must be true or false", path: path + "/" + key) }
        return flag
    }

    /// Refuses a field that is present with other than its default value.
    func expectDefault(_ key: String, _ defaultValue: JSONValue) throws(StructuralTagError) {
        guard let value = object[key], value != defaultValue else { return }
        throw .unsupported(field: key, message: "only its default value is supported", path: path + "/" + key)
    }
}
