import Engine
import SwiftletJSON

/// The structured-output fields of a completions or chat request, read from its JSON body:
/// `response_format` (json_object, json_schema), vLLM's `structured_outputs` and the legacy
/// `guided_*` aliases (which vLLM 0.34 ignores and this server applies). At most one constraint.
enum StructuredOutputsRequest {
    static func params(from body: JSONObject) throws -> StructuredOutputsParams? {
        var found: [(field: String, constraint: StructuredOutputsParams.Constraint)] = []
        var options = body["structured_outputs"]?.objectValue ?? JSONObject()
        if let format = body["response_format"], !format.isNull {
            switch format["type"]?.stringValue {
            case "text": break
            case "json_object": found.append(("response_format", .jsonObject))
            case "json_schema":
                guard let schema = format["json_schema"]?["schema"] else {
                    throw APIError.badRequest("response_format of type json_schema needs json_schema.schema", param: "response_format")
                }
                found.append(("response_format", .json(schema)))
            case let other:
                throw APIError.badRequest("response_format type \(other.map { "'\($0)'" } ?? "(missing)") is not supported; use text, json_object or json_schema",
                                          param: "response_format")
            }
        }
        if let outputs = body["structured_outputs"], !outputs.isNull {
            guard outputs.objectValue != nil else {
                throw APIError.badRequest("structured_outputs must be an object", param: "structured_outputs")
            }
            try collect(from: options, prefix: "structured_outputs.", names: ["json", "regex", "choice", "grammar", "json_object"],
                        into: &found)
            if let tag = options["structural_tag"], !tag.isNull {
                throw APIError.badRequest("structured_outputs.structural_tag is not supported yet", param: "structured_outputs")
            }
        }
        var legacy = JSONObject()
        for name in ["json", "regex", "choice", "grammar"] {
            if let value = body["guided_\(name)"] { legacy.append(value, forKey: name) }
        }
        try collect(from: legacy, prefix: "guided_", names: ["json", "regex", "choice", "grammar"], into: &found)
        guard let first = found.first else { return nil }
        guard found.count == 1 else {
            throw APIError.badRequest("give one structured output constraint, got \(found.map(\.field).joined(separator: ", "))",
                                      param: found[1].field)
        }
        if let pattern = body["guided_whitespace_pattern"], !pattern.isNull { options.append(pattern, forKey: "whitespace_pattern") }
        return StructuredOutputsParams(
            first.constraint, disableAnyWhitespace: options["disable_any_whitespace"]?.boolValue ?? false,
            disableAdditionalProperties: options["disable_additional_properties"]?.boolValue ?? false,
            whitespacePattern: options["whitespace_pattern"]?.stringValue)
    }

    /// Reads the constraint fields `names` of `object` (null ones count as absent).
    private static func collect(from object: JSONObject, prefix: String, names: [String],
                                into found: inout [(field: String, constraint: StructuredOutputsParams.Constraint)]) throws {
        for name in names {
            guard let value = object[name], !value.isNull else { continue }
            let field = prefix + name
            func bad(_ message: String) -> APIError { APIError.badRequest("\(field) \(message)", param: field) }
            switch name {
            case "json":
                if let text = value.stringValue {
                    do { found.append((field, .json(try JSONValue(parsing: text)))) } catch {
                        throw bad("is not valid JSON: \(error)")
                    }
                } else {
                    found.append((field, .json(value)))
                }
            case "regex":
                guard let pattern = value.stringValue else { throw bad("must be a string") }
                found.append((field, .regex(pattern)))
            case "choice":
                guard let items = value.arrayValue, !items.isEmpty else { throw bad("must be a non-empty list of strings") }
                let choices = items.compactMap(\.stringValue)
                guard choices.count == items.count else { throw bad("must be a list of strings") }
                found.append((field, .choice(choices)))
            case "grammar":
                guard let grammar = value.stringValue else { throw bad("must be a string") }
                found.append((field, .grammar(grammar)))
            case "json_object":
                if value.boolValue == true { found.append((field, .jsonObject)) }
            default:
                break
            }
        }
    }
}
