import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for the bench's end-to-end tests: GET /v1/models lists
/// "fake-model"; POST /v1/completions streams `numTokens` one-letter chunks as chunked SSE,
/// written in small fragments; any other path is a 404.
final class BenchServeFakeServer: @unchecked Sendable {
    /// The port it listens on (picked by the kernel).
    let port: Int
    /// Completion chunks per response (and `completion_tokens` in the usage chunk).
    let numTokens: Int
    private let listenFD: Int32
    private let lock = NSLock()
    private var requestBodies: [String] = []

    init(numTokens: Int) throws {
        self.numTokens = numTokens
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Bool in
                bind(fd, raw, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw POSIXError(.EADDRINUSE) }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// Stops accepting connections. Only shuts the socket down: the accept loop closes it once
    /// it has left `accept`, so the descriptor number cannot be reused by a later server while
    /// this loop still accepts on it (which once sent a later test's requests here).
    func stop() {
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    /// The JSON bodies of the POST requests received so far.
    var bodies: [String] {
        lock.lock()
        defer { lock.unlock() }
        return requestBodies
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                close(listenFD)
                return
            }
            let thread = Thread { [self] in
                handle(client)
                close(client)
            }
            thread.start()
        }
    }

    private func handle(_ fd: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headEnd: Int?
        var contentLength = 0
        while true {
            if let headEnd, received.count >= headEnd + contentLength { break }
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return }
            received += buffer[0..<count]
            if headEnd == nil, let range = findHeadEnd(received) {
                headEnd = range
                let head = String(decoding: received[0..<range], as: UTF8.self).lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        let head = String(decoding: received[0..<(headEnd ?? 0)], as: UTF8.self)
        let requestLine = head.split(separator: "\r\n").first.map(String.init) ?? ""
        if requestLine.hasPrefix("GET /v1/models ") {
            let body = #"{"object":"list","data":[{"id":"fake-model","object":"model"}]}"#
            write(fd, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
        } else if requestLine.hasPrefix("POST /v1/completions ") {
            lock.lock()
            requestBodies.append(String(decoding: received[(headEnd ?? 0)...], as: UTF8.self))
            lock.unlock()
            streamCompletion(fd)
        } else {
            write(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found")
        }
    }

    private func streamCompletion(_ fd: Int32) {
        write(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        var events = (0..<numTokens).map { index in
            "data: {\"choices\":[{\"index\":0,\"text\":\"\(Character(UnicodeScalar(UInt8(97 + index % 26))))\"}]}\n\n"
        }
        events.append("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":\(numTokens)}}\n\n")
        events.append("data: [DONE]\n\n")
        for event in events {
            let bytes = Array(event.utf8)
            // Each event as one chunk, written in two fragments that split the chunk mid-line.
            let chunk = Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10]
            let middle = chunk.count / 2
            write(fd, chunk[0..<middle])
            usleep(2_000)
            write(fd, chunk[middle...])
        }
        write(fd, "0\r\n\r\n")
    }

    private func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index..<(index + 4)].elementsEqual([13, 10, 13, 10]) {
            return index + 4
        }
        return nil
    }

    private func write(_ fd: Int32, _ text: String) { write(fd, Array(text.utf8)[...]) }

    private func write(_ fd: Int32, _ bytes: ArraySlice<UInt8>) {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}
