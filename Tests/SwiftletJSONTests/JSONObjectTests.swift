import SwiftletJSON
import Testing

/// Objects: document order, byte-exact keys, repeated keys, and exact equality.
struct JSONObjectTests {
    @Test func membersKeepDocumentOrder() throws {
        let object = try #require(try JSONValue(parsing: #"{"z": 1, "a": 2, "m": {"y": 3, "b": 4}}"#).objectValue)
        #expect(object.keys == ["z", "a", "m"])
        #expect(object.values.prefix(2) == [1, 2])
        #expect(object.map(\.key) == ["z", "a", "m"])
        #expect(object["m"]?.objectValue?.keys == ["y", "b"])
        #expect(object.count == 3 && object[1].key == "a" && object[1].value == 2)
    }

    @Test func canonicallyEquivalentKeysStayDistinct() throws {
        // "é" precomposed and decomposed are equal Swift Strings but distinct keys (two vocabulary tokens).
        let object = try #require(try JSONValue(parsing: "{\"\u{E9}\": 1, \"e\u{301}\": 2}").objectValue)
        #expect(object.count == 2)
        #expect(object["\u{E9}"] == 1)
        #expect(object["e\u{301}"] == 2)
        #expect(object.keys.map { Array($0.utf8) } == [[0xC3, 0xA9], [0x65, 0xCC, 0x81]])
        #expect(object.lastIndex(ofKey: "\u{E9}") == 0 && object.lastIndex(ofKey: "e") == nil)
        #expect(JSONObject(members: [("\u{E9}", 1)]) != JSONObject(members: [("e\u{301}", 1)]))
        #expect(JSONValue.string("\u{E9}") != .string("e\u{301}"))
        #expect(JSONValue.string("\u{E9}") == .string("\u{E9}"))
    }

    @Test func repeatedKeysAreKeptAndTheLastIsFound() throws {
        let object = try #require(try JSONValue(parsing: #"{"a": 1, "b": 2, "a": 3}"#).objectValue)
        #expect(object.keys == ["a", "b", "a"])
        #expect(object["a"] == 3 && object.lastIndex(ofKey: "a") == 2)
        #expect(object["c"] == nil)
    }

    @Test func buildingAndComparing() {
        var object = JSONObject()
        #expect(object.isEmpty && object["a"] == nil)
        object.append("x", forKey: "a")
        object.append([1, 2], forKey: "b")
        #expect(object == ["a": "x", "b": [1, 2]])
        #expect(object != ["b": [1, 2], "a": "x"])
        #expect(object != ["a": "x"])
        #expect(JSONValue.object(object) != .array(["x", [1, 2]]))
        #expect(JSONValue.null != false && JSONValue.number(0) != false && JSONValue.string("1") != 1)
    }
}
