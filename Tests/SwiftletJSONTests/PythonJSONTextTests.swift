import SwiftletJSON
import Testing

/// `PythonJSONText` writes what Python's `json.dumps(json.loads(text), ensure_ascii=False)` writes
/// (expected text printed by CPython 3.11 for the same input).
@Suite struct PythonJSONTextTests {
    @Test func matchesPythonDumps() throws {
        let source = #"[1.50, 1e5, 1E-5, 0.0001, -0.0, -0, 12345678901234567890, 1e400, -1e400, 1.2345678901234567e17, 0.1, 2.5e-3, 9.1e15, {"k\u00e9": "\u2603\n\u0001"}]"#
        let expected = "[1.5, 100000.0, 1e-05, 0.0001, -0.0, 0, 12345678901234567890, Infinity, -Infinity, 1.2345678901234566e+17, 0.1, 0.0025, 9100000000000000.0, {\"k\u{e9}\": \"\u{2603}\\n\\u0001\"}]"
        #expect(PythonJSONText.text(of: try JSONValue(parsing: source)) == expected)
    }
}
