/// Encodes `Encodable` values to compact JSON in a single pass over a byte buffer, with no
/// intermediate dictionaries: object keys come out in the order the type encodes them (the
/// declaration order of its `CodingKeys` for a synthesized conformance), so a response type pins
/// its field order. An optional property encoded with `encodeIfPresent` (the synthesized default)
/// is left out when nil; one wrapped in `@ExplicitNull` is written as `null`.
///
/// Floats are written as the double they widen to (`0.1` as a Float is `0.10000000149011612`),
/// as Python writes a float32 it holds as a float. NaN and infinities throw `invalidValue`.
///
/// Containers must be used one at a time, innermost first (as synthesized code and ordinary
/// hand-written `encode(to:)` do): a container is closed when its parent writes its next element
/// or when the value that opened it returns.
public struct CompactJSONEncoder: Sendable {
    public init() {}

    /// `value` as JSON bytes.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var writer = JSONWriter()
        try encode(value, into: &writer)
        return writer.bytes
    }

    /// Appends `value` as JSON to `writer` (for framing such as server-sent events).
    public func encode<T: Encodable>(_ value: T, into writer: inout JSONWriter) throws {
        let state = EncodingState(writer: writer)
        writer = JSONWriter(capacity: 0)  // hand the buffer over without copying it
        defer { writer = state.writer }
        try state.encodeValue(value)
    }
}

/// The encoder behind `CompactJSONEncoder`: the buffer and the stack of open containers.
final class EncodingState: Encoder {
    struct Frame {
        /// `}` or `]`.
        var closer: UInt8
        var numElements = 0
    }

    var writer: JSONWriter
    var frames: [Frame] = []
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

    func open(_ opener: UInt8, closer: UInt8) -> Int {
        writer.writeByte(opener)
        frames.append(Frame(closer: closer))
        return frames.count - 1
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
        let level = frames.count
        let mark = writer.bytes.count
        try value.encode(to: self)
        close(downTo: level)
        // A value that asked for no container and wrote nothing encodes as an empty object.
        if writer.bytes.count == mark { writer.writeRaw("{}") }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer<Key>(state: self, depth: open(UInt8(ascii: "{"), closer: UInt8(ascii: "}"))))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedContainer(state: self, depth: open(UInt8(ascii: "["), closer: UInt8(ascii: "]")))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleValueContainer(state: self)
    }
}
