import SwiftletJSON
import Testing
@testable import StructuredOutputs

/// Hostile schemas: each is refused with a clear error or compiled, quickly, and never overflows
/// the stack.
@Suite struct JSONSchemaLimitTests {
    /// The compile error of `schema`, and how long compiling took, in seconds.
    private func timedError(_ schema: JSONValue) -> (JSONSchemaError?, Double) {
        var failure: JSONSchemaError?
        let time = seconds {
            do throws(JSONSchemaError) { _ = try JSONSchemaCompiler.compile(schema) } catch { failure = error }
        }
        return (failure, time)
    }

    private func seconds(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        body()
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `{"items": {"items": ... {"type": "integer"} ...}}`, built as a value (the text parser would
    /// refuse it first, at 256 levels).
    private func nested(_ depth: Int) -> JSONValue {
        var schema: JSONValue = ["type": "integer"]
        for _ in 0..<depth { schema = .object(["type": "array", "items": schema]) }
        return schema
    }

    @Test func deepNestingIsRefusedQuickly() {
        let (error, time) = timedError(nested(500))
        #expect(error == .limitExceeded(limit: "maxDepth", maximum: 64, pointer: ""))
        #expect(time < 1)
        // Past the document walk's own bound (4 × maxDepth + 16 JSON levels) too.
        #expect(throws: JSONSchemaError.self) { try JSONSchemaCompiler.compile(nested(3_000)) }
        // Within the limit it compiles.
        #expect(throws: Never.self) { try JSONSchemaCompiler.compile(nested(40)) }
    }

    @Test func deepConstIsRefused() {
        var value: JSONValue = 1
        for _ in 0..<200 { value = .array([value]) }
        #expect(throws: JSONSchemaError.self) { try JSONSchemaCompiler.compile(.object(["const": value])) }
    }

    @Test func aHugeEnumCompilesOrIsRefusedQuickly() throws {
        let values = (0..<40_000).map { JSONValue.string("value-\($0)") }
        var grammar: Grammar?
        let time = seconds { grammar = try? JSONSchemaCompiler.compile(.object(["enum": .array(values)])) }
        #expect(time < 10, "took \(time) s")
        let compiled = try #require(grammar)
        #expect(compiled.lexemes.count == 1)
        #expect(throws: JSONSchemaError.self) {
            try JSONSchemaCompiler.compile(.object(["enum": .array((0..<200_000).map { JSONValue.string("\($0)") })]))
        }
    }

    @Test func aOneMegabyteSchemaIsRefusedQuickly() {
        // 30,000 properties of about 35 bytes each.
        var properties = JSONObject()
        for index in 0..<30_000 { properties.append(["type": "string", "maxLength": 20], forKey: "property_\(index)") }
        let schema = JSONValue.object(["type": "object", "properties": .object(properties)])
        let (error, time) = timedError(schema)
        #expect(error == .limitExceeded(limit: "maxSchemaValues", maximum: 50_000, pointer: ""))
        #expect(time < 1, "took \(time) s")
    }

    @Test func allOfProductsRunIntoTheWorkLimit() {
        // Each allOf member is a union of 8: merging 12 of them would make 8^12 options.
        let union: JSONValue = ["anyOf": .array((0..<8).map { JSONValue.object(["type": "object", "required": .array([.string("k\($0)")])]) })]
        let (error, time) = timedError(.object(["allOf": .array(Array(repeating: union, count: 12))]))
        guard case .limitExceeded(let limit, _, _) = error else {
            Issue.record("expected a limit error, got \(String(describing: error))")
            return
        }
        #expect(limit == "maxWork")
        #expect(time < 10, "took \(time) s")
    }

    @Test func manyRulesRunIntoTheRuleLimit() {
        var limits = JSONSchemaOptions.Limits()
        limits.maxRules = 100
        #expect(SchemaTesting.error(#"{"type": "array", "minItems": 500}"#, SchemaTesting.options { $0.limits = limits })
                == .limitExceeded(limit: "maxRules", maximum: 100, pointer: ""))
    }
}
