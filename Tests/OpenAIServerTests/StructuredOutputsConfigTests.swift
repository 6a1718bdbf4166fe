import Engine
import Foundation
import SwiftletJSON
import Testing
@testable import OpenAIServer

/// `--structured-outputs-config`: what it reads, what it refuses, the defaults it gives requests, and
/// the compile time limit.
@Suite struct StructuredOutputsConfigTests {
    @Test func reads() throws {
        let config = try StructuredOutputsConfig(json: #"{"backend": "auto", "disable_any_whitespace": true, "disable_additional_properties": true, "whitespace_pattern": " ?", "compile_timeout": 2.5, "max_cached_grammars": 8, "enable_in_reasoning": true}"#)
        var expected = StructuredOutputsConfig()
        expected.disableAnyWhitespace = true
        expected.disableAdditionalProperties = true
        expected.whitespacePattern = " ?"
        expected.compileTimeout = 2.5
        expected.maxCachedGrammars = 8
        expected.enableInReasoning = true
        #expect(config == expected)
        #expect(try StructuredOutputsConfig(json: "{}") == StructuredOutputsConfig())
    }

    @Test func refuses() {
        for (json, message) in [
            ("[1]", "--structured-outputs-config must be a JSON object"),
            (#"{"backend": "outlines"}"#, "backend must be auto"),
            (#"{"compile_timeout": 0}"#, "compile_timeout must be a positive number of seconds"),
            (#"{"max_cached_grammars": 0}"#, "max_cached_grammars must be at least 1"),
            (#"{"disable_any_whitespace": "yes"}"#, "disable_any_whitespace must be true or false"),
            (#"{"colour": 1}"#, "unknown key 'colour'"),
        ] {
            #expect(performing: { try StructuredOutputsConfig(json: json) }, throws: { error in
                (error as? StructuredOutputsConfig.ConfigError)?.description.hasPrefix(message) == true
            })
        }
    }

    /// The server's settings apply where the request says nothing; the request's own win.
    @Test func defaultsForRequests() throws {
        var defaults = StructuredOutputsConfig()
        defaults.disableAnyWhitespace = true
        defaults.whitespacePattern = " "
        func params(_ json: String) throws -> StructuredOutputsParams? {
            guard case .object(let object) = try JSONValue(parsing: json) else { return nil }
            return try StructuredOutputsRequest.params(from: object, defaults: defaults)
        }
        #expect(try params(#"{"structured_outputs": {"regex": "a"}}"#)
                == StructuredOutputsParams(.regex("a"), disableAnyWhitespace: true, whitespacePattern: " "))
        #expect(try params(#"{"structured_outputs": {"regex": "a", "disable_any_whitespace": false, "whitespace_pattern": "\\n"}}"#)
                == StructuredOutputsParams(.regex("a"), disableAnyWhitespace: false, whitespacePattern: #"\n"#))
    }
}

extension ServerSuites {
    /// A compile past the limit is a 400 naming the setting; within it the constraint compiles.
    @Suite struct CompileTimeoutTests {
        @Test func compileTimeout() async throws {
            let loaded = try ServerFixture.loaded.get()
            var options = ServerOptions(servedModelName: ServerFixture.modelName)
            options.structuredOutputs.compileTimeout = 1e-6
            let context = try ServingContext(engine: loaded.engine, core: loaded.core, chatTemplate: nil, options: options)
            // A schema no other test compiled (the cache would answer at once).
            let name = "p\(UInt64.random(in: 0...UInt64.max))"
            var params = SamplingParams()
            params.structuredOutputs = StructuredOutputsParams(.json(["type": "object", "properties": [name: ["type": "string", "pattern": "^[a-z]{3,9}@[0-9]+$"]]]))
            await #expect(performing: { try await context.compileConstraint(params) }, throws: { error in
                (error as? APIError)?.status == 400 && (error as? APIError)?.message.contains("compile_timeout") == true
            })
            options.structuredOutputs.compileTimeout = 60
            let patient = try ServingContext(engine: loaded.engine, core: loaded.core, chatTemplate: nil, options: options)
            params.structuredOutputs = StructuredOutputsParams(.regex("[0-9]{2}\(name)"))
            try await patient.compileConstraint(params)
        }
    }
}
