/// A minimal HTTP/1.1 client over `BenchServeHTTPConnection`: one request per connection
/// (`Connection: close`), the response body handed over as it arrives.
struct BenchServeHTTPClient: Sendable {
    /// Where the server listens.
    var url: BenchServeURL
    /// Seconds a connect, send or a single receive may block.
    var timeoutSeconds: Int

    /// Bytes of a non-200 response body kept for the error message.
    static let maxErrorBodyBytes = 2048

    /// Sends `method path` with an optional JSON body. A 200 response's body bytes go to `onBody`
    /// as they arrive; any other status throws `.httpStatus` with the start of the body.
    func perform(method: String, path: String, jsonBody: [UInt8]?,
                 onBody: ([UInt8]) throws(BenchServeError) -> Void) throws(BenchServeError) {
        let connection = try BenchServeHTTPConnection(host: url.host, port: url.port, timeoutSeconds: timeoutSeconds)
        let hostHeader = url.host.contains(":") ? "[\(url.host)]:\(url.port)" : "\(url.host):\(url.port)"
        var head = "\(method) \(url.pathPrefix)\(path) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        head += "User-Agent: swiftlet-bench-serve\r\nAccept: */*\r\nConnection: close\r\n"
        if let jsonBody {
            head += "Content-Type: application/json\r\nContent-Length: \(jsonBody.count)\r\n"
        }
        head += "\r\n"
        try connection.send(Array(head.utf8) + (jsonBody ?? []))

        var parser = BenchServeHTTPResponseParser()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var errorBody: [UInt8] = []
        while !parser.isComplete {
            let count = try connection.receive(into: &buffer)
            if count == 0 {
                try parser.finish()
                break
            }
            let body = try parser.feed(buffer[0..<count])
            guard let status = parser.status else { continue }
            if status == 200 {
                if !body.isEmpty { try onBody(body) }
            } else if errorBody.count < Self.maxErrorBodyBytes {
                errorBody.append(contentsOf: body.prefix(Self.maxErrorBodyBytes - errorBody.count))
            }
        }
        if let status = parser.status, status != 200 {
            throw .httpStatus(status, String(decoding: errorBody, as: UTF8.self))
        }
    }

    /// Sends a request and returns the whole 200 body.
    func fetch(method: String, path: String, jsonBody: [UInt8]? = nil) throws(BenchServeError) -> [UInt8] {
        var body: [UInt8] = []
        try perform(method: method, path: path, jsonBody: jsonBody) { bytes throws(BenchServeError) in
            body.append(contentsOf: bytes)
        }
        return body
    }
}
