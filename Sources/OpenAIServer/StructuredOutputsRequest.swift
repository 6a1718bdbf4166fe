import Engine
import StructuredOutputs
import SwiftletJSON

/// The structured-output fields of a completions or chat request, read from its JSON body:
/// `response_format` (json_object, json_schema, structural_tag), vLLM's `structured_outputs` and the legacy
/// `guided_*` aliases (which vLLM 0.34 ignores and this server applies). At most one constraint.
enum StructuredOutputsRequest {
    /// `defaults`: the server's whitespace and additional-properties settings, for requests that do not say.
    static func params(from body: JSONObject, defaults: StructuredOutputsConfig = StructuredOutputsConfig()) throws -> StructuredOutputsParams? {
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
                guard format["json_schema"]?["name"]?.stringValue != nil else {
                    throw APIError.badRequest("response_format.json_schema needs a name", param: "response_format.json_schema.name")
                }
                found.append(("response_format", .json(schema)))
            case "structural_tag":
                found.append(("response_format", try structuralTag(format, field: "response_format")))
            case let other:
                throw APIError.badRequest("response_format type \(other.map { "'\($0)'" } ?? "(missing)") is not supported; use text, json_object, json_schema or structural_tag",
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
                // vLLM takes it as a JSON string; an object is read too.
                let field = "structured_outputs.structural_tag"
                var value = tag
                if let text = tag.stringValue {
                    do { value = try JSONValue(parsing: text) } catch {
                        throw APIError.badRequest("\(field) is not valid JSON: \(error)", param: field)
                    }
                }
                found.append((field, try structuralTag(value, field: field)))
            }
        }
        var legacy = JSONObject()
        for name in ["json", "regex", "choice", "grammar"] {
            if let value = body["guided_\(name)"] { legacy.append(value, forKey: name) }
        }
        try collect(from: legacy, prefix: "guided_", names: ["json", "regex", "choice", "grammar"], into: &found)
        guard let first = found.first else {
            // Options without any constraint (vLLM: "none are specified").
            if let outputs = body["structured_outputs"], !outputs.isNull {
                throw APIError.badRequest("You must use one kind of structured outputs constraint but none are specified", param: "structured_outputs")
            }
            return nil
        }
        guard found.count == 1 else {
            throw APIError.badRequest("give one structured output constraint, got \(found.map(\.field).joined(separator: ", "))",
                                      param: found[1].field)
        }
        if let pattern = body["guided_whitespace_pattern"], !pattern.isNull { options.append(pattern, forKey: "whitespace_pattern") }
        return StructuredOutputsParams(
            first.constraint, disableAnyWhitespace: options["disable_any_whitespace"]?.boolValue ?? defaults.disableAnyWhitespace,
            disableAdditionalProperties: options["disable_additional_properties"]?.boolValue ?? defaults.disableAdditionalProperties,
            whitespacePattern: options["whitespace_pattern"]?.stringValue ?? defaults.whitespacePattern)
    }

    /// A structural tag in either of its JSON forms (`StructuralTag(json:)`), or a 400 naming what is wrong.
    private static func structuralTag(_ value: JSONValue, field: String) throws -> StructuredOutputsParams.Constraint {
        do { return .structuralTag(try StructuralTag(json: value)) } catch {
            throw APIError.badRequest("\(field): \(error)", param: field)
        }
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
                guard !pattern.unicodeScalars.contains("\u{0}") else { throw bad("must not contain a NUL character") }
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
                guard value.boolValue == true else { throw bad("must be true if set; leave it out for no JSON constraint") }
                found.append((field, .jsonObject))
            default:
                break
            }
        }
    }
}
