import Testing
@testable import SwiftletCLI

/// The HTTP response parser, the SSE parser and the stream accumulator on split buffers.
@Suite struct BenchServeParserTests {
    static let sseBody = "data: {\"choices\":[{\"text\":\" Par\"}]}\r\n\r\ndata: {\"choices\":[{\"text\":\"is\"}]}\n\n"
        + ": keep-alive\n\ndata: {\"choices\":[],\"usage\":{\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"

    static var chunkedResponse: [UInt8] {
        let body = Array(sseBody.utf8)
        // Chunks of 30, 7 and the rest, with a chunk extension on the second.
        let parts = [Array(body[0..<30]), Array(body[30..<37]), Array(body[37...])]
        var text = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
        for (index, part) in parts.enumerated() {
            text += String(part.count, radix: 16) + (index == 1 ? ";ext=1" : "") + "\r\n" + String(decoding: part, as: UTF8.self) + "\r\n"
        }
        text += "0\r\n\r\n"
        return Array(text.utf8)
    }

    /// Feeds `bytes` in pieces of `size` through both parsers.
    func parse(_ bytes: [UInt8], pieces size: Int) throws -> (status: Int?, complete: Bool, events: [String]) {
        var http = BenchServeHTTPResponseParser()
        var sse = BenchServeSSEParser()
        var events: [String] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + size, bytes.count)
            events += try sse.feed(try http.feed(bytes[start..<end]))
            start = end
        }
        events += sse.finish()
        return (http.status, http.isComplete, events)
    }

    @Test func chunkedSSEGivesTheSameEventsForEverySplit() throws {
        let expected = [#"{"choices":[{"text":" Par"}]}"#, #"{"choices":[{"text":"is"}]}"#,
                        #"{"choices":[],"usage":{"completion_tokens":2}}"#, "[DONE]"]
        for size in [1, 2, 3, 5, 7, 64, 100_000] {
            let parsed = try parse(Self.chunkedResponse, pieces: size)
            #expect(parsed.status == 200)
            #expect(parsed.complete)
            #expect(parsed.events == expected, "pieces of \(size)")
        }
    }

    @Test func contentLengthAndCloseFraming() throws {
        var fixed = BenchServeHTTPResponseParser()
        let response = Array("HTTP/1.1 404 Not Found\r\ncontent-length: 5\r\n\r\nnopeEXTRA".utf8)
        var body: [UInt8] = []
        for byte in response { body += try fixed.feed([byte]) }
        #expect(fixed.status == 404)
        #expect(fixed.isComplete)
        #expect(String(decoding: body, as: UTF8.self) == "nopeE")
        var open = BenchServeHTTPResponseParser()
        #expect(try open.feed(Array("HTTP/1.0 200 OK\r\n\r\nab".utf8)) == Array("ab".utf8))
        #expect(!open.isComplete)
        try open.finish()
        #expect(open.isComplete)
    }

    @Test func malformedFramingThrows() {
        var badSize = BenchServeHTTPResponseParser()
        #expect(throws: BenchServeError.malformedHTTP("bad chunk size line 'zz'")) {
            _ = try badSize.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".utf8))
        }
        var badStatus = BenchServeHTTPResponseParser()
        #expect(throws: BenchServeError.malformedHTTP("bad status line 'SSH-2.0-OpenSSH'")) {
            _ = try badStatus.feed(Array("SSH-2.0-OpenSSH\r\n\r\n".utf8))
        }
        var cut = BenchServeHTTPResponseParser()
        #expect(throws: BenchServeError.malformedHTTP("connection closed in the middle of the response body")) {
            _ = try cut.feed(Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab".utf8))
            try cut.finish()
        }
    }

    @Test func sseJoinsDataLinesAndFlushesAtTheEnd() throws {
        var sse = BenchServeSSEParser()
        #expect(try sse.feed(Array("data: a\nevent: x\ndata:b\r\n\r\nid: 3\ndata: c".utf8)) == ["a\nb"])
        #expect(sse.finish() == ["c"])
    }

    @Test func accumulatorMeasuresChunks() throws {
        var usage = BenchServeStreamAccumulator(promptLen: 7)
        try usage.consume(#"{"choices":[{"delta":{"role":"assistant","content":""}}]}"#, at: 0.05)
        try usage.consume(#"{"choices":[{"delta":{"content":"Hel"}}]}"#, at: 0.25)
        try usage.consume(#"{"choices":[{"delta":{"content":"lo"}}]}"#, at: 0.5)
        try usage.consume(#"{"choices":[{"delta":{},"finish_reason":"length"}]}"#, at: 0.6)
        try usage.consume(#"{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}"#, at: 0.7)
        try usage.consume("[DONE]", at: 0.7)
        let result = usage.finished(at: 0.75)
        #expect(usage.isDone)
        #expect(result == BenchServeRequestResult(success: true, promptLen: 7, outputTokens: 3, ttft: 0.25,
                                                  itls: [0.25], latency: 0.75, generatedText: "Hello"))
        var counted = BenchServeStreamAccumulator(promptLen: 1)
        try counted.consume(#"{"choices":[{"text":"a"}]}"#, at: 1)
        try counted.consume(#"{"choices":[{"text":"b"}]}"#, at: 2)
        #expect(counted.finished(at: 3).outputTokens == 2)
        #expect(BenchServeStreamAccumulator(promptLen: 1).finished(at: 1).error == "the stream ended without generated text")
    }

    @Test func accumulatorRejectsBadEvents() {
        var accumulator = BenchServeStreamAccumulator(promptLen: 1)
        #expect(throws: BenchServeError.malformedSSE("event data is not JSON: {oops")) {
            try accumulator.consume("{oops", at: 0)
        }
        #expect(throws: BenchServeError.serverError("boom")) {
            try accumulator.consume(#"{"error":{"message":"boom"}}"#, at: 0)
        }
        #expect(throws: BenchServeError.malformedSSE("usage.completion_tokens -1 is out of range")) {
            try accumulator.consume(#"{"choices":[],"usage":{"completion_tokens":-1}}"#, at: 0)
        }
    }

    @Test func baseURLParsing() throws {
        #expect(try BenchServeURL(parsing: "http://127.0.0.1:8000") == BenchServeURL(host: "127.0.0.1", port: 8000, pathPrefix: ""))
        #expect(try BenchServeURL(parsing: "http://[::1]:81/api/") == BenchServeURL(host: "::1", port: 81, pathPrefix: "/api"))
        #expect(try BenchServeURL(parsing: "http://localhost") == BenchServeURL(host: "localhost", port: 80, pathPrefix: ""))
        #expect(throws: BenchServeError.invalidURL("https://x")) { try BenchServeURL(parsing: "https://x") }
        #expect(throws: BenchServeError.invalidURL("http://x:99999")) { try BenchServeURL(parsing: "http://x:99999") }
    }
}
