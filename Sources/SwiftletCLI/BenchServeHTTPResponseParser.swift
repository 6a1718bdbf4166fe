/// Incremental HTTP/1.1 response parser: status line, headers, then the body decoded from
/// `Content-Length`, chunked transfer encoding, or read-until-close framing.
///
/// Feed it bytes exactly as `recv` returns them; any split (inside the status line, a header,
/// a chunk-size line or a CRLF) gives the same result as one contiguous buffer.
struct BenchServeHTTPResponseParser {
    /// The status code, once the status line has been read.
    private(set) var status: Int?
    /// Header fields with lower-cased names, once the header block has been read.
    private(set) var headers: [String: String] = [:]
    /// Whether the body's framing says the response is over.
    private(set) var isComplete = false

    /// Bytes the header block may take at most (an unbounded header is an error, not a memory leak).
    static let maxHeaderBytes = 65_536

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case untilClose
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case done
    }

    private var state = State.head
    /// Bytes of an unfinished line (head, chunk-size line, chunk CRLF or trailer).
    private var pending: [UInt8] = []

    /// Consumes `bytes` and returns the body bytes they complete (possibly none).
    mutating func feed(_ bytes: some Collection<UInt8>) throws(BenchServeError) -> [UInt8] {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while index != bytes.endIndex {
            switch state {
            case .head:
                pending.append(bytes[index])
                index = bytes.index(after: index)
                if pending.count > Self.maxHeaderBytes { throw .malformedHTTP("header block over \(Self.maxHeaderBytes) bytes") }
                if pending.count >= 4, pending.suffix(4).elementsEqual([13, 10, 13, 10]) {
                    try parseHead(pending)
                    pending.removeAll()
                }
            case .fixedBody(let remaining):
                let available = bytes.distance(from: index, to: bytes.endIndex)
                let take = min(remaining, available)
                let end = bytes.index(index, offsetBy: take)
                body.append(contentsOf: bytes[index..<end])
                index = end
                state = remaining - take == 0 ? .done : .fixedBody(remaining: remaining - take)
                if remaining - take == 0 { isComplete = true }
            case .untilClose:
                body.append(contentsOf: bytes[index...])
                index = bytes.endIndex
            case .chunkSize, .chunkDataEnd, .trailers:
                let byte = bytes[index]
                index = bytes.index(after: index)
                if byte != 10 {
                    pending.append(byte)
                    if pending.count > 1024 { throw .malformedHTTP("chunk framing line over 1024 bytes") }
                    continue
                }
                if pending.last == 13 { pending.removeLast() }
                let line = String(decoding: pending, as: UTF8.self)
                pending.removeAll()
                try finishLine(line)
            case .chunkData(let remaining):
                let available = bytes.distance(from: index, to: bytes.endIndex)
                let take = min(remaining, available)
                let end = bytes.index(index, offsetBy: take)
                body.append(contentsOf: bytes[index..<end])
                index = end
                state = remaining - take == 0 ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .done:
                // Bytes after a complete response (a pipelined response we never asked for): ignored.
                index = bytes.endIndex
            }
        }
        return body
    }

    /// Called when the peer closes the connection; throws if the framing promised more bytes.
    mutating func finish() throws(BenchServeError) {
        switch state {
        case .untilClose, .done: isComplete = true
        case .head: throw .malformedHTTP("connection closed before the response headers ended")
        default: throw .malformedHTTP("connection closed in the middle of the response body")
        }
    }

    private mutating func finishLine(_ line: String) throws(BenchServeError) {
        switch state {
        case .chunkSize:
            let sizeText = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingSpaces, radix: 16), size >= 0 else {
                throw .malformedHTTP("bad chunk size line '\(line.prefix(40))'")
            }
            state = size == 0 ? .trailers : .chunkData(remaining: size)
        case .chunkDataEnd:
            guard line.isEmpty else { throw .malformedHTTP("chunk data not followed by CRLF") }
            state = .chunkSize
        case .trailers:
            if line.isEmpty {
                state = .done
                isComplete = true
            }
        default:
            break
        }
    }

    private mutating func parseHead(_ block: [UInt8]) throws(BenchServeError) {
        let text = String(decoding: block, as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
        guard !lines.isEmpty else { throw .malformedHTTP("empty status line") }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]), (100...999).contains(code) else {
            throw .malformedHTTP("bad status line '\(statusLine.prefix(80))'")
        }
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHTTP("bad header line '\(line.prefix(80))'") }
            let name = line[..<colon].lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingSpaces
            headers[name] = value
        }
        if (100..<200).contains(code) {
            // An interim response (100 Continue): the real one follows.
            headers = [:]
            return
        }
        status = code
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            state = .chunkSize
        } else if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else { throw .malformedHTTP("bad Content-Length '\(lengthText)'") }
            state = length == 0 ? .done : .fixedBody(remaining: length)
            if length == 0 { isComplete = true }
        } else {
            state = .untilClose
        }
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
