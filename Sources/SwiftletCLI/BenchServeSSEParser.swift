/// Incremental Server-Sent Events parser: bytes in, the `data` of each finished event out.
///
/// Lines may end in LF or CRLF and may be split anywhere across feeds; several `data:` lines of
/// one event are joined with "\n"; comments (`:`) and other fields (`event:`, `id:`) are ignored.
struct BenchServeSSEParser {
    /// Bytes of the current, unfinished line.
    private var line: [UInt8] = []
    /// `data` lines of the current, undispatched event.
    private var dataLines: [String] = []

    /// Bytes a single line may take at most.
    static let maxLineBytes = 16 * 1_048_576

    /// Consumes `bytes` and returns the data of each event they complete, in order.
    mutating func feed(_ bytes: some Sequence<UInt8>) throws(BenchServeError) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if byte != 10 {
                line.append(byte)
                if line.count > Self.maxLineBytes { throw .malformedSSE("a line over \(Self.maxLineBytes) bytes") }
                continue
            }
            if line.last == 13 { line.removeLast() }
            if let event = finishLine() { events.append(event) }
        }
        return events
    }

    /// Called at the end of the stream: an event whose final blank line never came is still delivered.
    mutating func finish() -> [String] {
        var events: [String] = []
        if !line.isEmpty, let event = finishLine() { events.append(event) }
        if !dataLines.isEmpty {
            events.append(dataLines.joined(separator: "\n"))
            dataLines.removeAll()
        }
        return events
    }

    private mutating func finishLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard !dataLines.isEmpty else { return nil }
            let event = dataLines.joined(separator: "\n")
            dataLines.removeAll()
            return event
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("data:") else { return nil }
        var value = text.dropFirst(5)
        if value.first == " " { value = value.dropFirst() }
        dataLines.append(String(value))
        return nil
    }
}
