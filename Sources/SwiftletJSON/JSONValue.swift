// SwiftletJSON: one JSON reader for the whole project (tokenizer files, chat requests, grammars).
// A leaf: imports no other engine target, and not Foundation.

/// A parsed JSON value. Objects keep their members in document order with byte-exact keys, and numbers keep
/// their literal text, so nothing of the document is lost or merged on the way in.
///
/// Equality is exact: strings and keys compare by their UTF-8 bytes (not by Swift's canonical equivalence),
/// numbers by their literal text (`1.0` and `1` differ), objects member by member in order.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The boolean, or nil for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The number, or nil for any other kind of value.
    public var numberValue: JSONNumber? {
        if case .number(let number) = self { return number }
        return nil
    }

    /// The number as an `Int` when its literal is integral and fits (see `JSONNumber.int`), else nil.
    public var intValue: Int? { numberValue?.int }

    /// The number as the nearest `Double`, or nil for any other kind of value.
    public var doubleValue: Double? { numberValue?.double }

    /// The string, or nil for any other kind of value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements of an array, or nil for any other kind of value.
    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// The object, or nil for any other kind of value.
    public var objectValue: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The value of an object's last member named exactly `key`; nil when absent or when this is not an object.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }

    /// An array's element at `index`; nil when out of range or when this is not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

extension JSONValue: Equatable {
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let left), .bool(let right)): return left == right
        case (.number(let left), .number(let right)): return left == right
        case (.string(let left), .string(let right)): return JSONObject.sameBytes(left, right)
        case (.array(let left), .array(let right)): return left == right
        case (.object(let left), .object(let right)): return left == right
        default: return false
        }
    }
}
