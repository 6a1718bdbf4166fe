#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Blocking TCP sockets for the KV connector (one transfer per connection, timeouts on every read
/// and write so a stalled peer cannot hold a thread).
enum TCPSocket {
    struct SocketError: Error, CustomStringConvertible {
        let description: String
    }

    static func errorText(_ what: String) -> SocketError {
        SocketError(description: "\(what): \(String(cString: strerror(errno)))")
    }

    private static func address(host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
            throw SocketError(description: "'\(host)' is not an IPv4 address")
        }
        return address
    }

    private static func makeSocket() throws -> Int32 {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw errorText("socket") }
        return fd
    }

    /// A socket listening on `host:port` (0.0.0.0 for every interface).
    static func listen(host: String, port: Int) throws -> Int32 {
        let fd = try makeSocket()
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = try address(host: host, port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            let error = errorText("cannot listen on \(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    /// A connected socket, or a thrown error within `timeout` seconds.
    static func connect(host: String, port: Int, timeout: Double) throws -> Int32 {
        let fd = try makeSocket()
        setTimeout(fd, timeout)
        var address = try address(host: host, port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errorText("cannot connect to \(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        try bytes.withUnsafeBytes { buffer in
            while sent < buffer.count {
                let count = send(fd, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                guard count > 0 else { throw errorText("send") }
                sent += count
            }
        }
    }

    /// Exactly `count` bytes, or an error (closed early, timeout).
    static func receive(_ fd: Int32, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var received = 0
        try out.withUnsafeMutableBytes { buffer in
            while received < count {
                let got = recv(fd, buffer.baseAddress! + received, count - received, 0)
                guard got > 0 else { throw got == 0 ? SocketError(description: "the peer closed the connection") : errorText("recv") }
                received += got
            }
        }
        return out
    }

    /// One line (without the newline), at most `limit` bytes.
    static func receiveLine(_ fd: Int32, limit: Int = 1 << 20) throws -> [UInt8] {
        var line: [UInt8] = []
        while true {
            let byte = try receive(fd, count: 1)[0]
            if byte == UInt8(ascii: "\n") { return line }
            line.append(byte)
            guard line.count <= limit else { throw SocketError(description: "a header line longer than \(limit) bytes") }
        }
    }
}
