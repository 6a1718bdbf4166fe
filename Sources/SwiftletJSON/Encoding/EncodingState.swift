/// The encoder behind `CompactJSONEncoder`: the buffer and the stack of open containers.
final class EncodingState: Encoder {
    struct Frame {
        /// `}` or `]`.
        var closer: UInt8
        var numElements = 0
    }

    var writer: JSONWriter
    var frames: [Frame] = []
    /// Where the frame of the value being encoded goes (`frames.count` when it began).
    private var valueLevel = 0
    /// Why the output is not JSON, when a value used containers in a way one pass cannot write.
    private(set) var failure: String?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(writer: JSONWriter) {
        self.writer = writer
        frames.reserveCapacity(8)
    }

    /// Closes every container above `level`.
    @inline(__always) func close(downTo level: Int) {
        while frames.count > level {
            writer.writeByte(frames.removeLast().closer)
        }
    }

    /// Starts the next element of the container at `depth`: closes finished nested containers
    /// and writes the comma.
    @inline(__always) func beginElement(depth: Int) {
        close(downTo: depth + 1)
        if frames[depth].numElements > 0 { writer.writeByte(UInt8(ascii: ",")) }
        frames[depth].numElements += 1
    }

    /// Opens a new container; returns its depth.
    func open(_ opener: UInt8, closer: UInt8) -> Int {
        writer.writeByte(opener)
        frames.append(Frame(closer: closer))
        return frames.count - 1
    }

    /// The current value's container of this kind: the one it already opened, or a new one.
    private func valueContainer(_ opener: UInt8, closer: UInt8) -> Int {
        if frames.count > valueLevel {
            close(downTo: valueLevel + 1)
            if frames[valueLevel].closer != closer { fail("a value asked for two kinds of container") }
            return valueLevel
        }
        return open(opener, closer: closer)
    }

    func fail(_ message: String) {
        if failure == nil { failure = message }
    }

    func writeKey(_ key: some CodingKey, depth: Int) {
        beginElement(depth: depth)
        writer.writeString(key.stringValue)
        writer.writeByte(UInt8(ascii: ":"))
    }

    func writeDouble(_ value: Double) throws {
        guard writer.writeDouble(value) else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: [], debugDescription: "JSON has no spelling for \(value)"))
        }
    }

    /// Writes any value: scalars directly, others through their `encode(to:)`.
    func encodeValue<T: Encodable>(_ value: T) throws {
        // The scalar checks compare metadata (free once specialized) before a cast that cannot fail.
        if T.self == String.self, let text = value as? String { writer.writeString(text); return }
        if T.self == Int.self, let number = value as? Int { writer.writeInt(number); return }
        if T.self == Double.self, let number = value as? Double { try writeDouble(number); return }
        if T.self == Bool.self, let flag = value as? Bool { writer.writeBool(flag); return }
        if T.self == Float.self, let number = value as? Float { try writeDouble(Double(number)); return }
        if writeIfInteger(value) { return }
        let outerLevel = valueLevel
        let level = frames.count
        let mark = writer.bytes.count
        valueLevel = level
        defer { valueLevel = outerLevel }
        try value.encode(to: self)
        close(downTo: level)
        // A value that asked for no container and wrote nothing encodes as an empty object.
        if writer.bytes.count == mark { writer.writeRaw("{}") }
    }

    /// Integers of every other width, written as numbers (their own `encode(to:)` would come back
    /// here); metadata comparisons first, so other types pay no casts.
    private func writeIfInteger<T: Encodable>(_ value: T) -> Bool {
        func write<I: FixedWidthInteger>(_ type: I.Type) -> Bool {
            guard T.self == I.self, let number = value as? I else { return false }
            writer.writeInt(number)
            return true
        }
        return write(Int64.self) || write(Int32.self) || write(Int16.self) || write(Int8.self) || write(UInt.self)
            || write(UInt64.self) || write(UInt32.self) || write(UInt16.self) || write(UInt8.self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(state: self, depth: valueContainer(UInt8(ascii: "{"), closer: UInt8(ascii: "}"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(state: self, depth: valueContainer(UInt8(ascii: "["), closer: UInt8(ascii: "]")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        if frames.count > valueLevel { fail("a value asked for a single-value container after a keyed or unkeyed one") }
        return SingleValueContainer(state: self)
    }

    /// Containers nested under a key or an element are always new.
    func nestedKeyed<Key: CodingKey>(_ type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(state: self, depth: open(UInt8(ascii: "{"), closer: UInt8(ascii: "}"))))
    }

    func nestedUnkeyed() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(state: self, depth: open(UInt8(ascii: "["), closer: UInt8(ascii: "]")))
    }
}
