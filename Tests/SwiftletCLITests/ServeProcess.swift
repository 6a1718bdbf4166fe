import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `swiftlet serve` child process for tests: started on port 0, its stderr collected, the bound
/// port read from its "serving ... on http://HOST:PORT" line.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var errorText = ""
    private let errorPipe = Pipe()

    /// Starts the debug `swiftlet` built next to the test bundle with `serve ARGUMENTS`.
    init(arguments: [String]) throws {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var binary = directory.appendingPathComponent("swiftlet")
        if !FileManager.default.isExecutableFile(atPath: binary.path) {
            binary = CLITests.repoRoot.appendingPathComponent(".build/debug/swiftlet")
        }
        process.executableURL = binary
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = CLITests.repoRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errorPipe
        errorPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.errorText += String(decoding: data, as: UTF8.self)
            self.lock.unlock()
        }
        try process.run()
    }

    /// Everything written to stderr so far.
    var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return errorText
    }

    /// The port from the startup line, polling for up to `seconds`; nil when it never came.
    func waitForPort(within seconds: Double = 120) async -> Int? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && process.isRunning {
            if let range = stderr.range(of: #"on http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                return Int(stderr[range].split(separator: ":").last ?? "")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Waits for the process to exit (up to `seconds`); its exit status, or nil when it still runs
    /// (it is then killed).
    func waitForExit(within seconds: Double = 60) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A streaming HTTP/1.1 POST on a POSIX socket, read on its own thread into a buffer the test polls.
final class ServeStream: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    private var ended = false

    /// Connects to 127.0.0.1:`port` and sends the request; nil when the connection is refused.
    init?(port: Int, path: String, body: String) {
        let fd = Self.connect(port: port)
        guard fd >= 0 else { return nil }
        let payload = Array(body.utf8)
        let request = Array("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(payload.count)\r\nConnection: close\r\n\r\n".utf8) + payload
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                lock.lock()
                bytes.append(contentsOf: buffer[0..<count])
                lock.unlock()
            }
            close(fd)
            lock.lock()
            ended = true
            lock.unlock()
        }
        thread.start()
    }

    /// A connected socket to 127.0.0.1:`port`, or -1.
    static func connect(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            close(fd)
            return -1
        }
        return fd
    }

    /// True while something listens on the port.
    static func isOpen(port: Int) -> Bool {
        let fd = connect(port: port)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: bytes, as: UTF8.self)
    }

    var isEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return ended
    }
}
