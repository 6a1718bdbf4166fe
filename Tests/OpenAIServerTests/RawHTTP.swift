import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client on POSIX sockets, on its own thread, for concurrent and disconnecting requests.
enum RawHTTP {
    /// Sends `body` to `path` and reads the whole response, or closes the connection after `closeAfter`
    /// bytes of it (0: right after sending). Returns what was read.
    static func post(port: Int, path: String, body: String, closeAfter: Int? = nil) async -> String {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: blockingPost(port: port, path: path, body: body, closeAfter: closeAfter))
            }
            thread.start()
        }
    }

    /// Sends `bytes` as they are (any request, well-formed or not) and reads until the server closes.
    static func exchange(port: Int, bytes: [UInt8]) async -> String {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: blockingExchange(port: port, bytes: bytes, closeAfter: nil)) }
            thread.start()
        }
    }

    private static func blockingPost(port: Int, path: String, body: String, closeAfter: Int?) -> String {
        let bodyBytes = Array(body.utf8)
        let request = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(bodyBytes.count)\r\nConnection: close\r\n\r\n"
        return blockingExchange(port: port, bytes: Array(request.utf8) + bodyBytes, closeAfter: closeAfter)
    }

    private static func blockingExchange(port: Int, bytes: [UInt8], closeAfter: Int?) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        if closeAfter == 0 { return "" }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
            if let closeAfter, received.count >= closeAfter { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// The body of a response with `Transfer-Encoding: chunked` (or a plain one), after the head.
    /// Works on bytes: "\r\n" is one Character in a Swift string.
    static func body(of response: String) -> String {
        let bytes = Array(response.utf8)
        let crlf: [UInt8] = [13, 10]
        func find(_ pattern: [UInt8], from start: Int) -> Int? {
            guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
            return (start...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }
        }
        guard let headEnd = find(crlf + crlf, from: 0) else { return "" }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self).lowercased()
        var offset = headEnd + 4
        guard head.contains("transfer-encoding: chunked") else { return String(decoding: bytes[offset...], as: UTF8.self) }
        var body: [UInt8] = []
        while let lineEnd = find(crlf, from: offset),
              let size = Int(String(decoding: bytes[offset..<lineEnd], as: UTF8.self), radix: 16), size > 0,
              lineEnd + 2 + size <= bytes.count {
            body += bytes[(lineEnd + 2)..<(lineEnd + 2 + size)]
            offset = lineEnd + 2 + size + 2
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The concatenated `text` of every choice of an SSE completions stream.
    static func streamedText(_ response: String) -> String {
        var text = ""
        for event in ServerFixture.events(body(of: response)) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any],
                  let choices = object["choices"] as? [[String: Any]] else { continue }
            for choice in choices { text += choice["text"] as? String ?? "" }
        }
        return text
    }
}
