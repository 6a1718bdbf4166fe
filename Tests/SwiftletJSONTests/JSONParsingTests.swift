import Foundation
import SwiftletJSON
import Testing

/// Values, numbers and strings read from valid documents, through every entry point.
struct JSONParsingTests {
    @Test func valuesOfEveryKind() throws {
        let value = try JSONValue(parsing: #" {"a": [1, -2, 3.5, 1e3, true, false, null], "b": {}, "c": [], "d": "x"} "#)
        #expect(value == ["a": [1, -2, 3.5, JSONValue.number(try #require(JSONNumber("1e3"))), true, false, .null],
                          "b": [:], "c": [], "d": "x"])
        #expect(value["a"]?[0]?.intValue == 1 && value["a"]?[1]?.intValue == -2)
        #expect(value["a"]?[2]?.intValue == nil && value["a"]?[2]?.doubleValue == 3.5)
        #expect(value["a"]?[3]?.intValue == nil && value["a"]?[3]?.doubleValue == 1000)
        #expect(value["a"]?[4]?.boolValue == true && value["a"]?[4]?.intValue == nil)
        #expect(value["a"]?[6]?.isNull == true && value["a"]?[7] == nil && value["a"]?[-1] == nil)
        #expect(value["b"]?.objectValue?.isEmpty == true && value["c"]?.arrayValue?.isEmpty == true)
        #expect(value["d"]?.stringValue == "x" && value["d"]?[0] == nil && value["zz"] == nil)
        #expect(try JSONValue(parsing: "\t\n\r 7 \n") == 7)
    }

    @Test func entryPointsAgree() throws {
        let text = #"{"k": ["v", 1.25, {"é": null}]}"#
        let expected = try JSONValue(parsing: text)
        #expect(expected == ["k": ["v", 1.25, ["é": .null]]])
        #expect(try JSONValue(parsing: Array(text.utf8)) == expected)
        #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
        #expect(try JSONValue(parsing: Array(("  " + text).utf8).dropFirst(2)) == expected)
        #expect(try JSONValue(parsing: text.utf8.lazy.map { $0 }) == expected)
        let raw = try Data(text.utf8).withUnsafeBytes { raw throws(JSONParseError) in try JSONValue(parsing: raw) }
        #expect(raw == expected)
    }

    @Test func integersAreExactAndFitOrNot() throws {
        func number(_ text: String) throws -> JSONNumber { try #require(try JSONValue(parsing: text).numberValue) }
        #expect(try number("9223372036854775807").int == Int.max)
        #expect(try number("-9223372036854775808").int == Int.min)
        let tooBig = try number("9223372036854775808")
        #expect(tooBig.int == nil && tooBig.isInteger && tooBig.text == "9223372036854775808")
        #expect(try number("-9223372036854775809").int == nil)
        let huge = try number("123456789012345678901234567890")
        #expect(huge.text == "123456789012345678901234567890" && huge.isInteger && huge.double == 1.2345678901234568e29)
        let minusZero = try number("-0")
        #expect(minusZero.int == 0 && minusZero.isInteger && minusZero.text == "-0")
        #expect(minusZero.double.sign == .minus)
        #expect(minusZero != JSONNumber(0) && JSONNumber(0).text == "0")
        #expect(try number("0").int == 0 && number("0").text == "0")
        #expect(try number("120").int == 120 && number("-7").text == "-7")
    }

    @Test func fractionsAndExponentsKeepTheirText() throws {
        func number(_ text: String) throws -> JSONNumber { try #require(try JSONValue(parsing: text).numberValue) }
        for (text, double) in [("1.0", 1.0), ("1.50", 1.5), ("2E+3", 2000), ("-1e-2", -0.01), ("0.1", 0.1), ("1e400", .infinity)] {
            let value = try number(text)
            #expect(value.text == text && value.int == nil && !value.isInteger && value.double == double, "\(text)")
        }
        #expect(try number("1.0") != number("1"))
        #expect(try number("1.0") == number("1.0"))
        #expect(JSONNumber(floatLiteral: 0.1).text == "0.1" && JSONNumber(floatLiteral: 1e-05).double == 1e-05)
    }

    @Test func numberLiteralsAreValidated() {
        for valid in ["0", "-0", "7", "-12", "1.5", "1e5", "1E-5", "-0.0e+0", "12345678901234567890123"] {
            #expect(JSONNumber(valid)?.text == valid, "\(valid)")
        }
        for invalid in ["", " 1", "1 ", "01", "+1", ".5", "1.", "1e", "1e+", "-", "0x10", "1_000", "NaN", "Infinity", "\"1\""] {
            #expect(JSONNumber(invalid) == nil, "\(invalid)")
        }
    }

    @Test func stringEscapes() throws {
        #expect(try JSONValue(parsing: #""a\"b\\c\/d\n\t\r\b\f""#) == "a\"b\\c/d\n\t\r\u{8}\u{C}")
        #expect(try JSONValue(parsing: #""\u0120\u2581\u00e9\u00E9\u0000""#) == "Ġ▁éé\u{0}")
        #expect(try JSONValue(parsing: #""\ud83d\ude00 x""#) == "😀 x")
        #expect(try JSONValue(parsing: "\"raw ünïcode 中 😀\"") == "raw ünïcode 中 😀")
        #expect(try JSONValue(parsing: "\"tab\u{7F}del\"") == "tab\u{7F}del")
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try JSONValue(parsing: #""lone \ud83d and \ude00""#) == "lone \u{FFFD} and \u{FFFD}")
        // A high surrogate followed by an escape that is not its pair: the escape is read on its own.
        #expect(try JSONValue(parsing: #""\ud83d\u0041""#) == "\u{FFFD}A")
        #expect(try JSONValue(parsing: #""\ud83d\ud83d\ude00""#) == "\u{FFFD}😀")
        #expect(try JSONValue(parsing: #""\ud83d""#) == "\u{FFFD}")
    }

    @Test func invalidUTF8IsRepaired() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0xC3, 0x22]
        #expect(try JSONValue(parsing: bytes) == "a\u{FFFD}b\u{FFFD}")
    }

    /// Quotes, escapes and control characters at every position of strings around the 8-byte words the
    /// scanner reads at once, with ASCII and two-byte filler.
    @Test func specialBytesAtEveryPosition() throws {
        for filler in ["y", "é"] {
            for length in 1..<40 {
                for position in 0..<length {
                    let before = String(repeating: filler, count: position)
                    let after = String(repeating: filler, count: length - position - 1)
                    // The closing quote, then another quote and a backslash in the same word.
                    #expect(try JSONValue(parsing: #"[""# + before + #"","\"", 1]"#) == [.string(before), "\"", 1],
                            "quote after \(position) x \(filler)")
                    #expect(try JSONValue(parsing: #"""# + before + #"\n"# + after + #"""#) == .string(before + "\n" + after),
                            "escape after \(position) x \(filler)")
                    let offset = 1 + before.utf8.count
                    #expect(throws: JSONParseError(message: "unescaped control character in string", offset: offset, line: 1,
                                                   column: position + 2)) {
                        try JSONValue(parsing: #"""# + before + "\u{1F}" + after + #"""#)
                    }
                }
            }
        }
    }
}
