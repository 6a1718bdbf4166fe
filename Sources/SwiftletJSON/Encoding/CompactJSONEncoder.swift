/// Encodes `Encodable` values to compact JSON in a single pass over a byte buffer, with no
/// intermediate dictionaries: object keys come out in the order the type encodes them (the
/// declaration order of its `CodingKeys` for a synthesized conformance), so a response type pins
/// its field order. An optional property encoded with `encodeIfPresent` (the synthesized default)
/// is left out when nil; a `Nullable` one is written as `null`.
///
/// Floats are written as the double they widen to (`0.1` as a Float is `0.10000000149011612`),
/// as Python writes a float32 it holds as a float. NaN and infinities throw `invalidValue`.
///
/// Containers are used innermost first, as synthesized code and ordinary hand-written
/// `encode(to:)` do: a container is closed when its parent writes its next element or when the
/// value that opened it returns. A value may ask for its keyed (or unkeyed) container more than
/// once; it gets the same one back. Mixing container kinds in one value, and `superEncoder`,
/// throw `invalidValue` instead of writing broken JSON.
public struct CompactJSONEncoder: Sendable {
    public init() {}

    /// `value` as JSON bytes.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var writer = JSONWriter()
        try encode(value, into: &writer)
        return writer.bytes
    }

    /// Appends `value` as JSON to `writer` (for framing such as server-sent events). On a throw
    /// the writer is left as it was.
    public func encode<T: Encodable>(_ value: T, into writer: inout JSONWriter) throws {
        let start = writer.bytes.count
        let state = EncodingState(writer: writer)
        writer = JSONWriter(capacity: 0)  // hand the buffer over without copying it
        defer { writer = state.writer }
        do {
            try state.encodeValue(value)
            if let failure = state.failure {
                throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: failure))
            }
        } catch {
            state.writer.bytes.removeSubrange(start...)
            throw error
        }
    }
}
