// Hashing agrees with `==`: values equal byte for byte hash alike (strings and keys are hashed
// through their UTF-8 bytes, numbers through their literal text). Used to key caches by JSON
// values, such as compiled grammars by their schema.

extension JSONValue: Hashable {
    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .number(let number): hasher.combine(2); hasher.combine(number)
        case .string(let text): hasher.combine(3); JSONObject.hashBytes(text, into: &hasher)
        case .array(let items): hasher.combine(4); hasher.combine(items)
        case .object(let object): hasher.combine(5); hasher.combine(object)
        }
    }
}

extension JSONObject: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys.count)
        for key in keys { Self.hashBytes(key, into: &hasher) }
        hasher.combine(values)
    }

    static func hashBytes(_ text: String, into hasher: inout Hasher) {
        hasher.combine(text.utf8.count)
        for byte in text.utf8 { hasher.combine(byte) }
    }
}
