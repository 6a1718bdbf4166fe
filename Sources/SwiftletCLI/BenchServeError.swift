/// Why one benchmark request (or the model lookup) failed; the message is what the report prints.
enum BenchServeError: Error, CustomStringConvertible, Equatable {
    /// The base URL is not `http://host[:port]`.
    case invalidURL(String)
    /// Name resolution, connect, send or receive failed at the socket level.
    case connection(String)
    /// The response is not valid HTTP/1.1 (status line, headers, chunk framing).
    case malformedHTTP(String)
    /// The server answered with a status other than 200.
    case httpStatus(Int, String)
    /// A `data:` event is not the JSON object an OpenAI stream carries.
    case malformedSSE(String)
    /// The stream carried an `error` object.
    case serverError(String)
    /// The stream ended without any generated text.
    case noOutput

    var description: String {
        switch self {
        case .invalidURL(let url): "invalid base URL '\(url)': expected http://HOST[:PORT]"
        case .connection(let message): "connection error: \(message)"
        case .malformedHTTP(let message): "malformed HTTP response: \(message)"
        case .httpStatus(let status, let body): "HTTP \(status): \(body)"
        case .malformedSSE(let message): "malformed SSE: \(message)"
        case .serverError(let message): "server error in stream: \(message)"
        case .noOutput: "the stream ended without generated text"
        }
    }
}
