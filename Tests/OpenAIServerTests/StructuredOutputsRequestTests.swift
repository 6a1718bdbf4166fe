import Engine
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// Which constraint a request body asks for, through each of the API's spellings.
@Suite struct StructuredOutputsRequestTests {
    func params(_ json: String) throws -> StructuredOutputsParams? {
        guard case .object(let object) = try JSONValue(parsing: json) else { return nil }
        return try StructuredOutputsRequest.params(from: object)
    }

    @Test func everySpelling() throws {
        let schema: JSONValue = ["type": "object"]
        #expect(try params(#"{"response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}}}"#)
                == StructuredOutputsParams(.json(schema)))
        #expect(try params(#"{"response_format": {"type": "json_object"}}"#) == StructuredOutputsParams(.jsonObject))
        #expect(try params(#"{"response_format": {"type": "text"}}"#) == nil)
        #expect(try params(#"{"structured_outputs": {"regex": "[0-9]+", "disable_any_whitespace": true}}"#)
                == StructuredOutputsParams(.regex("[0-9]+"), disableAnyWhitespace: true))
        #expect(try params(#"{"structured_outputs": {"json": "{\"type\": \"object\"}", "whitespace_pattern": " ?"}}"#)
                == StructuredOutputsParams(.json(schema), whitespacePattern: " ?"))
        #expect(try params(#"{"structured_outputs": {"json_object": true, "disable_additional_properties": true}}"#)
                == StructuredOutputsParams(.jsonObject, disableAdditionalProperties: true))
        // The legacy aliases vLLM 0.34 ignores are applied.
        #expect(try params(#"{"guided_choice": ["a", "b"]}"#) == StructuredOutputsParams(.choice(["a", "b"])))
        #expect(try params(#"{"guided_json": {"type": "object"}, "guided_whitespace_pattern": "\\s*"}"#)
                == StructuredOutputsParams(.json(schema), whitespacePattern: "\\s*"))
        #expect(try params(#"{"guided_grammar": "root ::= \"a\""}"#) == StructuredOutputsParams(.grammar("root ::= \"a\"")))
        #expect(try params(#"{"guided_regex": null, "structured_outputs": null}"#) == nil)
    }

    @Test func badConstraintsAreRefused() {
        for (body, field) in [
            (#"{"response_format": {"type": "json_object"}, "guided_regex": "a"}"#, "guided_regex"),
            (#"{"structured_outputs": {"regex": "a", "choice": ["b"]}}"#, "structured_outputs.choice"),
            (#"{"response_format": {"type": "json_schema"}}"#, "response_format"),
            (#"{"response_format": {"type": "yaml"}}"#, "response_format"),
            (#"{"structured_outputs": {"choice": []}}"#, "structured_outputs.choice"),
            (#"{"structured_outputs": {"choice": ["a", 1]}}"#, "structured_outputs.choice"),
            (#"{"structured_outputs": {"json": "{not json"}}"#, "structured_outputs.json"),
            (#"{"structured_outputs": "regex"}"#, "structured_outputs"),
            (#"{"guided_regex": 5}"#, "guided_regex"),
        ] {
            #expect(performing: { try params(body) }, throws: { error in
                (error as? APIError)?.status == 400 && (error as? APIError)?.param == field
            })
        }
    }
}
