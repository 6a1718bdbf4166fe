import Testing
import SwiftletJSON

/// Numbers written as Python's `json.dumps(json.loads(...))` and `repr(float)` write them.
struct PythonNumberTextTests {
    @Test(arguments: [
        ("0", "0"), ("-0", "0"), ("12345678901234567890123", "12345678901234567890123"), ("1.50", "1.5"),
        ("1E3", "1000.0"), ("1e16", "1e+16"), ("1e15", "1000000000000000.0"), ("0.0001", "0.0001"),
        ("0.00001", "1e-05"), ("-2.5e-7", "-2.5e-07"), ("1.5e300", "1.5e+300"), ("-0.0", "-0.0"),
        ("123456789.123456789", "123456789.12345679"), ("1e999", "Infinity"), ("-1e999", "-Infinity"),
        ("5e-324", "5e-324"), ("0.1", "0.1"), ("100.0", "100.0"),
    ])
    func jsonLiteral(literal: String, written: String) {
        #expect(PythonNumberText.ofJSONLiteral(literal) == written)
    }
}
