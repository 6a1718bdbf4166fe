import Engine
import SwiftletJSON

/// The JSON Schema a forced tool choice constrains the output to (vLLM's tool-call schema):
/// a named function's `parameters` (the output is the arguments), or for `"required"` a non-empty
/// array of `{"name": ..., "parameters": ...}` objects, one alternative per tool.
enum ToolCallSchema {
    /// nil for `none` and `auto`, which do not force a call.
    static func schema(for request: ToolsRequest) throws -> JSONValue? {
        switch request.choice {
        case .none, .auto:
            return nil
        case .function(let name):
            return request.tools.first { $0.name == name }.map { parametersOrEmpty($0.parameters) }
        case .required:
            let calls = try callObjects(request.tools, argumentsKey: "parameters")
            var schema: JSONObject = ["type": "array", "minItems": 1,
                                      "items": ["type": "object", "anyOf": .array(calls.alternatives)]]
            if !request.parallelToolCalls { schema.append(1, forKey: "maxItems") }
            if !calls.defs.isEmpty { schema.append(.object(calls.defs), forKey: "$defs") }
            return .object(schema)
        }
    }

    /// One call object: `{"name": <one tool's name>, argumentsKey: <its parameters>}`, written as
    /// vLLM's required-call items (`parameters`) or as hermes calls (`arguments`). The tools' `$defs`
    /// are returned apart, for the root of the schema that holds the alternatives.
    static func callObjects(_ tools: [FunctionTool], argumentsKey: String) throws -> (alternatives: [JSONValue], defs: JSONObject) {
        var defs = JSONObject()
        var alternatives: [JSONValue] = []
        for tool in tools {
            var parameters = tool.parameters
            if let local = parameters?["$defs"] {
                try merge(local, into: &defs, tool: tool.name)
                parameters = parameters.map(removingDefs)
            }
            var properties = JSONObject()
            properties.append(["type": "string", "enum": [.string(tool.name)]], forKey: "name")
            properties.append(parametersOrEmpty(parameters), forKey: argumentsKey)
            alternatives.append(["properties": .object(properties), "required": ["name", .string(argumentsKey)]])
        }
        return (alternatives, defs)
    }

    /// The structured-output constraint of a forced tool choice.
    static func constraint(for request: ToolsRequest) throws -> StructuredOutputsParams? {
        try schema(for: request).map { StructuredOutputsParams(.json($0)) }
    }

    /// A tool without parameters (or with `{}`) takes an object.
    private static func parametersOrEmpty(_ parameters: JSONValue?) -> JSONValue {
        if let parameters, parameters.objectValue?.isEmpty == false { return parameters }
        return ["type": "object", "properties": [:]]
    }

    private static func removingDefs(_ schema: JSONValue) -> JSONValue {
        guard let object = schema.objectValue else { return schema }
        return .object(JSONObject(members: object.filter { $0.key != "$defs" }))
    }

    /// The tools' `$defs` go to the array schema's root, where their `#/$defs/...` references point;
    /// one name with two different schemas cannot be shared.
    private static func merge(_ local: JSONValue, into defs: inout JSONObject, tool: String) throws {
        guard let members = local.objectValue else {
            throw APIError.badRequest("`$defs` in the parameters of tool '\(tool)' must be an object", param: "tools")
        }
        for (name, schema) in members {
            if let existing = defs[name] {
                guard existing == schema else {
                    throw APIError.badRequest("Tool definition '\(name)' has multiple schemas, which is not supported.", param: "tools")
                }
                continue
            }
            defs.append(schema, forKey: name)
        }
    }
}
