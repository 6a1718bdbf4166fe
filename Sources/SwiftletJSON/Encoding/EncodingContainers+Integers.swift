/// The fixed-width integer requirements of the containers, written as numbers.

extension KeyedContainer {
    mutating func encode(_ value: Int8, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { state.writeKey(key, depth: depth); state.writer.writeInt(value) }
}

extension UnkeyedContainer {
    mutating func encode(_ value: Int8) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: Int16) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: Int32) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: Int64) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt8) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt16) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt32) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
    mutating func encode(_ value: UInt64) throws { state.beginElement(depth: depth); state.writer.writeInt(value) }
}

extension SingleValueContainer {
    mutating func encode(_ value: Int8) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: Int16) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: Int32) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: Int64) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: UInt) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: UInt8) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: UInt16) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: UInt32) throws { state.writer.writeInt(value) }
    mutating func encode(_ value: UInt64) throws { state.writer.writeInt(value) }
}
