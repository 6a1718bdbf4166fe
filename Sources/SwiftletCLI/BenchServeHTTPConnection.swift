import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking TCP connection. Each benchmark request owns one on its own thread, so blocking
/// reads never occupy Swift's cooperative thread pool.
final class BenchServeHTTPConnection {
    private let socketFD: Int32

    /// Resolves `host`, connects, and sets send/receive timeouts of `timeoutSeconds`.
    init(host: String, port: Int, timeoutSeconds: Int) throws(BenchServeError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connection("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address for \(host)"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            cursor = entry.pointee.ai_next
            let fd = socket(entry.pointee.ai_family, entry.pointee.ai_socktype, entry.pointee.ai_protocol)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            if connect(fd, entry.pointee.ai_addr, entry.pointee.ai_addrlen) == 0 {
                socketFD = fd
                var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return
            }
            lastError = "connect to \(host):\(port): \(String(cString: strerror(errno)))"
            close(fd)
        }
        throw .connection(lastError)
    }

    deinit { close(socketFD) }

    /// Writes all of `bytes`.
    func send(_ bytes: [UInt8]) throws(BenchServeError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                sendBytes(raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .connection("send: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Reads what is available (blocking) into `buffer`; returns the byte count, 0 at end of stream.
    func receive(into buffer: inout [UInt8]) throws(BenchServeError) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in recv(socketFD, raw.baseAddress, raw.count, 0) }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw .connection("receive timed out") }
            throw .connection("receive: \(String(cString: strerror(errno)))")
        }
    }

    private func sendBytes(_ pointer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.send(socketFD, pointer, count, Int32(MSG_NOSIGNAL))
        #else
        Darwin.send(socketFD, pointer, count, 0)
        #endif
    }
}
