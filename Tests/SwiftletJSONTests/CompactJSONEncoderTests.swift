import Foundation
import SwiftletJSON
import Testing

private struct Inner: Codable, Equatable {
    var name: String
    var values: [Int]
}

private struct Outer: Codable, Equatable {
    var zeta: Int
    var alpha: String
    var shownWhenNil: Nullable<Double>
    var hiddenWhenNil: Bool?
    var inner: Inner
    var list: [Inner]
    var optionals: [Int?]
    var nested: [[String]]

    enum CodingKeys: String, CodingKey {
        case zeta, alpha, shownWhenNil = "shown_when_nil", hiddenWhenNil = "hidden_when_nil", inner, list, optionals, nested
    }
}

private func text<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try CompactJSONEncoder().encode(value), as: UTF8.self)
}

@Suite struct CompactJSONEncoderTests {
    @Test func keysComeOutInDeclarationOrderAndNilFollowsTheWrapper() throws {
        let value = Outer(zeta: 1, alpha: "a", shownWhenNil: .null, hiddenWhenNil: nil,
                          inner: Inner(name: "x", values: []), list: [Inner(name: "y", values: [1, -2])],
                          optionals: [1, nil, 3], nested: [[], ["p", "q"]])
        #expect(try text(value) == #"{"zeta":1,"alpha":"a","shown_when_nil":null,"inner":{"name":"x","values":[]},"list":[{"name":"y","values":[1,-2]}],"optionals":[1,null,3],"nested":[[],["p","q"]]}"#)
        var set = value
        set.shownWhenNil = .some(0.5)
        set.hiddenWhenNil = false
        #expect(try text(set).hasPrefix(#"{"zeta":1,"alpha":"a","shown_when_nil":0.5,"hidden_when_nil":false,"inner":"#))
    }

    /// An optional Nullable has three states: left out, null, a value; Nullable<Never> is always null.
    @Test func unsetNullAndValue() throws {
        struct Choice: Encodable {
            var index: Int
            var stopReason: Nullable<Int>?
            var weightVersions: Nullable<Never> = .null
            enum CodingKeys: String, CodingKey { case index, stopReason = "stop_reason", weightVersions = "weight_versions" }
        }
        #expect(try text(Choice(index: 0, stopReason: nil)) == #"{"index":0,"weight_versions":null}"#)
        #expect(try text(Choice(index: 1, stopReason: .null)) == #"{"index":1,"stop_reason":null,"weight_versions":null}"#)
        #expect(try text(Choice(index: 2, stopReason: .some(7))) == #"{"index":2,"stop_reason":7,"weight_versions":null}"#)
    }

    @Test func stringsEscapeOnlyWhatJSONRequires() throws {
        #expect(try text("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{01}\u{1F}é漢🙂") == #""a\"b\\c/d\n\r\t\b\f\u0001\u001fé漢🙂""#)
        #expect(try text("") == #""""#)
    }

    @Test func integersAndDoubles() throws {
        #expect(try text([0, -1, 42, Int.max, Int.min]) == "[0,-1,42,9223372036854775807,-9223372036854775808]")
        #expect(try text([0.5, -0.0, 0.0, 100.0, 1e-7, 1.5e300, -2.75]) == "[0.5,-0.0,0.0,100.0,1e-07,1.5e+300,-2.75]")
        // A Float is written as the double it widens to, as Python writes a float32 it holds.
        #expect(try text([Float(0.1)]) == "[0.10000000149011612]")
        #expect(try text(UInt64.max) == "18446744073709551615")
    }

    @Test func nonFiniteNumbersThrow() {
        #expect(throws: EncodingError.self) { try text([1.0, .nan]) }
        #expect(throws: EncodingError.self) { try text(-Double.infinity) }
    }

    /// Random nested values against Foundation's decoder and serializer: what we write reads back
    /// to the same value, and JSONSerialization parses it to the same tree.
    @Test func randomValuesRoundTripThroughFoundation() throws {
        var random = SystemRandomNumberGenerator()
        func randomString() -> String {
            let pieces = ["a", "é", "\"", "\\", "\n", "\u{01}", "🙂", "/", " ", "z"]
            return (0..<Int.random(in: 0...6, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
        }
        for _ in 0..<200 {
            let value = Outer(
                zeta: Int.random(in: Int.min...Int.max, using: &random), alpha: randomString(),
                shownWhenNil: Bool.random(using: &random) ? .null : .some(Double.random(in: -1e6...1e6, using: &random)),
                hiddenWhenNil: Bool.random(using: &random) ? nil : Bool.random(using: &random),
                inner: Inner(name: randomString(), values: (0..<Int.random(in: 0...4, using: &random)).map { _ in Int.random(in: -99...99, using: &random) }),
                list: (0..<Int.random(in: 0...3, using: &random)).map { _ in Inner(name: randomString(), values: [1]) },
                optionals: (0..<Int.random(in: 0...4, using: &random)).map { _ in Bool.random(using: &random) ? nil : 7 },
                nested: (0..<Int.random(in: 0...3, using: &random)).map { _ in (0..<Int.random(in: 0...2, using: &random)).map { _ in randomString() } })
            let bytes = try CompactJSONEncoder().encode(value)
            #expect(try JSONDecoder().decode(Outer.self, from: Data(bytes)) == value)
            let ours = try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary
            let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? NSDictionary
            #expect(ours == theirs)
        }
    }

    /// Every integer width and Data (bytes) as numbers, as Foundation's encoder writes them
    /// (their own encode(to:) asks the encoder for the same value again).
    @Test func integersOfEveryWidthAndData() throws {
        struct Widths: Codable {
            var a: Int8 = -128, b: Int16 = -32768, c: Int32 = .min, d: Int64 = .min
            var e: UInt = .max, f: UInt8 = 255, g: UInt16 = 65535, h: UInt32 = .max, i: UInt64 = .max
            var bytes: [UInt8] = [0, 72, 255]
            var data = Data([1, 2, 3])
            var list: [Int32] = [-1, 2]
        }
        let ours = try CompactJSONEncoder().encode(Widths())
        #expect(String(decoding: ours, as: UTF8.self) == #"{"a":-128,"b":-32768,"c":-2147483648,"d":-9223372036854775808,"e":18446744073709551615,"f":255,"g":65535,"h":4294967295,"i":18446744073709551615,"bytes":[0,72,255],"data":[1,2,3],"list":[-1,2]}"#)
        struct DataOnly: Encodable { var data = Data([9, 8]) }
        let foundation = JSONEncoder()
        foundation.dataEncodingStrategy = .deferredToData
        #expect(try JSONSerialization.jsonObject(with: Data(CompactJSONEncoder().encode(DataOnly()))) as? NSDictionary
                == JSONSerialization.jsonObject(with: foundation.encode(DataOnly())) as? NSDictionary)
    }

    /// A value that asks for its keyed container twice gets the same object (as a subclass calling
    /// its superclass's encode does); mixing kinds or superEncoder throws rather than writing broken JSON.
    @Test func containersAskedForTwice() throws {
        struct Twice: Encodable {
            enum Keys: String, CodingKey { case a, b, c }
            func encode(to encoder: any Encoder) throws {
                var first = encoder.container(keyedBy: Keys.self)
                try first.encode(1, forKey: .a)
                var nested = first.nestedUnkeyedContainer(forKey: .b)
                try nested.encode("x")
                var second = encoder.container(keyedBy: Keys.self)
                try second.encode(true, forKey: .c)
            }
        }
        #expect(try text([Twice(), Twice()]) == #"[{"a":1,"b":["x"],"c":true},{"a":1,"b":["x"],"c":true}]"#)
        struct Mixed: Encodable {
            enum Keys: String, CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var keyed = encoder.container(keyedBy: Keys.self)
                try keyed.encode(1, forKey: .a)
                var list = encoder.unkeyedContainer()
                try list.encode(2)
            }
        }
        struct Super: Encodable {
            enum Keys: String, CodingKey { case a }
            func encode(to encoder: any Encoder) throws {
                var keyed = encoder.container(keyedBy: Keys.self)
                try 1.encode(to: keyed.superEncoder())
            }
        }
        var writer = JSONWriter()
        writer.writeRaw("data: ")
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode(Mixed(), into: &writer) }
        #expect(throws: EncodingError.self) { try CompactJSONEncoder().encode(Super(), into: &writer) }
        // A failed encode leaves the writer as it was.
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "data: ")
    }

    @Test func appendsToAWriter() throws {
        var writer = JSONWriter()
        writer.writeRaw("data: ")
        try CompactJSONEncoder().encode(Inner(name: "n", values: [3]), into: &writer)
        writer.writeRaw("\n\n")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "data: {\"name\":\"n\",\"values\":[3]}\n\n")
    }
}

/// Hashing agrees with byte-exact equality (compiled grammars are cached by their schema).
@Suite struct JSONValueHashingTests {
    @Test func equalValuesHashAlikeAndByteDistinctKeysStayApart() throws {
        let a = try JSONValue(parsing: #"{"type": "object", "properties": {"n": {"type": "integer"}}, "x": [1, 2.50, null]}"#)
        let b = try JSONValue(parsing: #"{"type":"object","properties":{"n":{"type":"integer"}},"x":[1,2.50,null]}"#)
        #expect(a == b && a.hashValue == b.hashValue)
        let precomposed = try JSONValue(parsing: "{\"\u{E9}\": 1}"), decomposed = try JSONValue(parsing: "{\"e\u{301}\": 1}")
        #expect(precomposed != decomposed && Set([precomposed, decomposed]).count == 2)
        #expect(Set([try JSONValue(parsing: "2.5"), try JSONValue(parsing: "2.50")]).count == 2)
    }
}
