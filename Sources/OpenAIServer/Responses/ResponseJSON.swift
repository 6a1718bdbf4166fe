import SwiftletJSON

/// Response bodies and server-sent events as JSON bytes, through the one-pass encoder.
enum ResponseJSON {
    static let encoder = CompactJSONEncoder()

    /// `value` as a body. Response types hold no NaN or infinity (logprobs are floored), so
    /// encoding cannot fail; if it ever did, the client gets an error body, not an empty one.
    static func bytes<T: Encodable>(_ value: T) -> [UInt8] {
        do {
            return try encoder.encode(value)
        } catch {
            return (try? encoder.encode(ErrorResponse(APIError(status: 500, message: "cannot encode the response: \(error)")))) ?? []
        }
    }

    /// One server-sent event: `data: {...}\n\n`.
    static func event<T: Encodable>(_ value: T) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.writeRaw("data: ")
        do {
            try encoder.encode(value, into: &writer)
        } catch {
            return event(ErrorResponse(APIError(status: 500, message: "cannot encode the chunk: \(error)")))
        }
        writer.writeRaw("\n\n")
        return writer.bytes
    }

    /// One named server-sent event (the Responses API's): `event: TYPE\ndata: {...}\n\n`.
    static func namedEvent<T: Encodable>(_ type: String, _ value: T) -> [UInt8] {
        Array("event: \(type)\n".utf8) + event(value)
    }

    /// The end of a stream.
    static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)
}
