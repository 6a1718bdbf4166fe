/// The keyed, unkeyed and single-value containers of `CompactJSONEncoder`. Each writes straight
/// into the shared buffer; `depth` is the index of its frame on the stack of open containers.
struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: EncodingState
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        state.writer.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        state.writer.writeBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        state.writer.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        try state.writeDouble(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        try state.writeDouble(Double(value))
    }

    mutating func encode(_ value: Int, forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        state.writer.writeInt(value)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        state.writeKey(key, depth: depth)
        try state.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        state.writeKey(key, depth: depth)
        return state.nestedKeyed(keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        state.writeKey(key, depth: depth)
        return state.nestedUnkeyed()
    }

    /// Not supported (one pass cannot place a superclass's value): the encode throws.
    mutating func superEncoder() -> any Encoder {
        state.fail("superEncoder is not supported")
        return state
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        state.fail("superEncoder is not supported")
        return state
    }
}

struct UnkeyedContainer: UnkeyedEncodingContainer {
    let state: EncodingState
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { state.frames.count > depth ? state.frames[depth].numElements : 0 }

    mutating func encodeNil() throws {
        state.beginElement(depth: depth)
        state.writer.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        state.beginElement(depth: depth)
        state.writer.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        state.beginElement(depth: depth)
        state.writer.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        state.beginElement(depth: depth)
        try state.writeDouble(value)
    }

    mutating func encode(_ value: Int) throws {
        state.beginElement(depth: depth)
        state.writer.writeInt(value)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        state.beginElement(depth: depth)
        try state.encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        state.beginElement(depth: depth)
        return state.nestedKeyed(keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        state.beginElement(depth: depth)
        return state.nestedUnkeyed()
    }

    mutating func superEncoder() -> any Encoder {
        state.fail("superEncoder is not supported")
        return state
    }
}

struct SingleValueContainer: SingleValueEncodingContainer {
    let state: EncodingState
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { state.writer.writeNull() }
    mutating func encode(_ value: Bool) throws { state.writer.writeBool(value) }
    mutating func encode(_ value: String) throws { state.writer.writeString(value) }
    mutating func encode(_ value: Double) throws { try state.writeDouble(value) }
    mutating func encode(_ value: Float) throws { try state.writeDouble(Double(value)) }
    mutating func encode(_ value: Int) throws { state.writer.writeInt(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try state.encodeValue(value) }
}
