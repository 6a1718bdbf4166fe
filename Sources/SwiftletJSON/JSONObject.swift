/// A JSON object: its members in document order, every one kept, keys compared by their UTF-8 bytes.
///
/// Swift's `String ==` treats canonically equivalent texts as equal ("é" precomposed and "e" plus a
/// combining accent), which would merge keys that a file keeps apart, such as two vocabulary entries.
/// Lookup here compares bytes instead. A repeated key keeps all its members; lookup finds the last one,
/// as Python's `json.loads` keeps the last value.
public struct JSONObject: Sendable, RandomAccessCollection {
    /// One member: a key and its value.
    public typealias Element = (key: String, value: JSONValue)

    /// The keys in document order.
    public private(set) var keys: [String]
    /// The values in document order, one for each key.
    public private(set) var values: [JSONValue]

    /// An empty object.
    public init() {
        keys = []
        values = []
    }

    /// An object with these members, in this order (repeated keys are kept).
    public init(members: [Element]) {
        keys = members.map(\.key)
        values = members.map(\.value)
    }

    /// Made by the parser: as many keys as values.
    init(keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
    }

    public var startIndex: Int { keys.startIndex }
    public var endIndex: Int { keys.endIndex }
    public subscript(position: Int) -> Element { (keys[position], values[position]) }

    /// The position of the last member named exactly `key` (same UTF-8 bytes), or nil. Linear in the number
    /// of members: iterate a large object instead of looking up many keys in it.
    public func lastIndex(ofKey key: String) -> Int? {
        var index = keys.count - 1
        while index >= 0 {
            if Self.sameBytes(keys[index], key) { return index }
            index -= 1
        }
        return nil
    }

    /// The value of the last member named exactly `key` (same UTF-8 bytes), or nil.
    public subscript(key: String) -> JSONValue? {
        lastIndex(ofKey: key).map { values[$0] }
    }

    /// Appends a member after the existing ones; an existing member with the same key stays.
    public mutating func append(_ value: JSONValue, forKey key: String) {
        keys.append(key)
        values.append(value)
    }

    /// Reserves room for `count` members in all.
    public mutating func reserveCapacity(_ count: Int) {
        keys.reserveCapacity(count)
        values.reserveCapacity(count)
    }

    /// Whether two strings have the same UTF-8 bytes.
    static func sameBytes(_ left: String, _ right: String) -> Bool {
        left.utf8.count == right.utf8.count && left.utf8.elementsEqual(right.utf8)
    }
}

extension JSONObject: Equatable {
    /// Equal when both have the same members in the same order: keys with the same bytes, equal values.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.values == rhs.values && zip(lhs.keys, rhs.keys).allSatisfy { sameBytes($0, $1) }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// The members in the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(members: elements.map { (key: $0.0, value: $0.1) })
    }
}
