import SwiftletJSON
import Testing
@testable import StructuredOutputs

@Suite struct JSONSchemaNumberTests {
    /// Every integer from -250 to 250 against brute force, for bounds of both kinds and signs.
    @Test(arguments: [
        #""minimum": 0"#, #""minimum": -17, "maximum": 123"#, #""exclusiveMinimum": 9, "exclusiveMaximum": 100"#,
        #""maximum": -1"#, #""minimum": 7, "maximum": 7"#, #""minimum": 2.5, "maximum": 19.99"#,
        #""minimum": -99, "maximum": 99, "exclusiveMinimum": true"#, #""minimum": 10, "maximum": 200"#,
    ])
    func integerRangesAreExact(bounds: String) throws {
        let schemaText = "{\"type\": \"integer\", " + bounds + "}"
        let recognizer = ReferenceRecognizer(try SchemaTesting.grammar(schemaText))
        let schema = SchemaTesting.schema(schemaText)
        for value in -250...250 {
            let expected = inRange(Double(value), schema)
            #expect(recognizer.accepts(String(value)) == expected, "\(schemaText) on \(value)")
        }
        #expect(!recognizer.accepts("5.0") && !recognizer.accepts("007") && !recognizer.accepts("-0"))
    }

    /// Whether `value` meets the schema's bounds, as a validator reads them.
    private func inRange(_ value: Double, _ schema: JSONValue) -> Bool {
        let draft4Min = schema["exclusiveMinimum"]?.boolValue == true, draft4Max = schema["exclusiveMaximum"]?.boolValue == true
        if let minimum = schema["minimum"]?.doubleValue, draft4Min ? value <= minimum : value < minimum { return false }
        if let maximum = schema["maximum"]?.doubleValue, draft4Max ? value >= maximum : value > maximum { return false }
        if let bound = schema["exclusiveMinimum"]?.doubleValue, value <= bound { return false }
        if let bound = schema["exclusiveMaximum"]?.doubleValue, value >= bound { return false }
        return true
    }

    /// Decimals with up to three places from -12 to 12 (and spellings with trailing zeros).
    @Test(arguments: [
        #""minimum": 0.5, "maximum": 3.25"#, #""exclusiveMinimum": -1.05, "exclusiveMaximum": 0.375"#,
        #""minimum": -2"#, #""exclusiveMaximum": 7.5"#, #""minimum": 1.1, "maximum": 1.1"#, #""minimum": -0.001, "maximum": 0.001"#,
    ])
    func decimalRangesAreExact(bounds: String) throws {
        let schemaText = "{\"type\": \"number\", " + bounds + "}"
        let recognizer = ReferenceRecognizer(try SchemaTesting.grammar(schemaText))
        let schema = SchemaTesting.schema(schemaText)
        var checked = 0
        for thousandths in stride(from: -12_000, through: 12_000, by: 7) {
            for text in spellings(thousandths) {
                let expected = inRange(Double(thousandths) / 1000, schema)
                #expect(recognizer.accepts(text) == expected, "\(schemaText) on \(text)")
                checked += 1
            }
        }
        #expect(checked > 5000)
    }

    /// The plain spellings of n/1000: shortest, and with a trailing zero.
    private func spellings(_ thousandths: Int) -> [String] {
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        let integer = String(magnitude / 1000)
        var fraction = String(magnitude % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if magnitude == 0 { return ["0", "0.0"] }
        let shortest = sign + integer + (fraction.isEmpty ? "" : "." + fraction)
        return [shortest, shortest + (fraction.isEmpty ? ".0" : "0")]
    }

    @Test func boundsAtZeroKeepExponents() {
        expectLanguage(#"{"type": "number", "minimum": 0}"#, accepts: ["0", "1e-06", "2.5E+3", "0.0", "0e5"], rejects: ["-1e-06", "-2"])
        expectLanguage(#"{"type": "number", "exclusiveMinimum": 0}"#, accepts: ["1e-06", "0.001"], rejects: ["0", "0.0e3", "-1"])
        expectLanguage(#"{"type": "number", "maximum": 0, "exclusiveMaximum": true}"#, accepts: ["-3e2"], rejects: ["0", "1"])
        expectLanguage(#"{"type": "number", "minimum": 1}"#, accepts: ["1", "2.5"], rejects: ["0.5", "1e3"])
    }

    @Test func hugeBoundsStayExact() {
        expectLanguage(#"{"type": "integer", "minimum": 18446744073709551616}"#,
                       accepts: ["18446744073709551616", "99999999999999999999"], rejects: ["18446744073709551615", "-5"])
        expectLanguage(#"{"type": "number", "minimum": -99999999999.99, "maximum": 99999999999.99, "multipleOf": 0.01}"#,
                       accepts: ["0", "-99999999999.99", "12.5", "12.50", "3"], rejects: ["1.005", "100000000000", "-99999999999.991"])
    }

    @Test func multipleOf() {
        expectLanguage(#"{"type": "number", "multipleOf": 0.01, "minimum": 0}"#, accepts: ["0", "1.5", "2.25", "2.250", "7"], rejects: ["1.005", "-1"])
        expectLanguage(#"{"type": "number", "multipleOf": 1}"#, accepts: ["3", "3.0", "-4"], rejects: ["3.5"])
        expectLanguage(#"{"type": "integer", "multipleOf": 7}"#, accepts: ["0", "7", "-14", "700", "9996"], rejects: ["1", "15", "9997"])
        expectLanguage(#"{"type": "integer", "multipleOf": 8, "minimum": 0}"#, accepts: ["0", "8", "1000", "1024"], rejects: ["-8", "12", "1004"])
        expectLanguage(#"{"multipleOf": 25, "exclusiveMinimum": 0}"#, accepts: ["25", "100", "1075", "50.00", "\"any string\""], rejects: ["0", "-25", "110"])
        expectLanguage(#"{"type": "integer", "multipleOf": 11, "minimum": 100, "maximum": 200}"#, accepts: ["110", "198"], rejects: ["100", "209", "121.0"])
        expectLanguage(#"{"type": "number", "multipleOf": 2.5, "minimum": 2, "maximum": 11}"#, accepts: ["2.5", "5", "10.0"], rejects: ["2", "7", "12.5"])
        expectLanguage(#"{"type": "integer", "multipleOf": 2.5, "minimum": 15, "maximum": 40}"#, accepts: ["15", "20", "40"], rejects: ["17.5", "16"])
        // Every integer checked against the remainder for a few steps.
        for step in [3, 4, 6, 7, 8] {
            let recognizer = ReferenceRecognizer((try? SchemaTesting.grammar(#"{"type": "integer", "multipleOf": \#(step)}"#)) ?? emptyGrammar)
            for value in -60...200 { #expect(recognizer.accepts(String(value)) == (value % step == 0), "\(value) multipleOf \(step)") }
        }
        // Steps whose remainder automaton has no small regex, and one-sided bounds past zero.
        #expect(SchemaTesting.error(#"{"type": "integer", "multipleOf": 13}"#) == .unsupported(keyword: "multipleOf", pointer: "/multipleOf"))
        #expect(SchemaTesting.error(#"{"type": "integer", "multipleOf": 3, "minimum": 1}"#) == .unsupported(keyword: "multipleOf", pointer: "/multipleOf"))
        #expect(SchemaTesting.error(#"{"type": "integer", "multipleOf": 0}"#) == .invalidSchema(message: "multipleOf must be greater than 0", pointer: "/multipleOf"))
    }

    private var emptyGrammar: Grammar { Grammar(lexemes: [], rules: [Grammar.Rule(name: "none", alternatives: [])], start: Grammar.RuleID(0), skip: nil) }

    @Test func boundsMergeThroughAllOf() {
        expectLanguage(#"{"allOf": [{"type": "integer", "minimum": 1}, {"maximum": 5}, {"type": "number", "maximum": 3}]}"#,
                       accepts: ["1", "3"], rejects: ["0", "4", "2.5"])
    }
}
