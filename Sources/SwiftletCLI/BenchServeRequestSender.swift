import Foundation

/// Sends one streaming completion (or chat completion) request and measures it.
struct BenchServeRequestSender: Sendable {
    /// The server.
    var client: BenchServeHTTPClient
    /// The endpoint path, e.g. `/v1/completions` or `/v1/chat/completions`.
    var endpoint: String
    /// The `model` field.
    var model: String
    /// `max_tokens` (EOS is ignored, so also the expected output length).
    var outputLen: Int
    /// `temperature`.
    var temperature: Double

    /// Whether the endpoint takes `messages` instead of `prompt`.
    var isChat: Bool { endpoint.hasSuffix("/chat/completions") }

    /// The JSON request body for `prompt`.
    func body(for prompt: String) throws -> [UInt8] {
        var object: [String: Any] = [
            "model": model, "max_tokens": outputLen, "temperature": temperature,
            "stream": true, "stream_options": ["include_usage": true], "ignore_eos": true,
        ]
        if isChat {
            object["messages"] = [["role": "user", "content": prompt]]
        } else {
            object["prompt"] = prompt
        }
        return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    /// Sends `prompt` and blocks until the stream ends; never throws: failures are in the result.
    func send(prompt: String, promptLen: Int) -> BenchServeRequestResult {
        let start = BenchServeClock.seconds()
        var accumulator = BenchServeStreamAccumulator(promptLen: promptLen)
        var sse = BenchServeSSEParser()
        do {
            let requestBody: [UInt8]
            do { requestBody = try body(for: prompt) } catch { throw BenchServeError.malformedSSE("cannot encode request: \(error)") }
            try client.perform(method: "POST", path: endpoint, jsonBody: requestBody) { bytes throws(BenchServeError) in
                let now = BenchServeClock.seconds() - start
                for event in try sse.feed(bytes) { try accumulator.consume(event, at: now) }
            }
            let now = BenchServeClock.seconds() - start
            for event in sse.finish() { try accumulator.consume(event, at: now) }
            return accumulator.finished(at: BenchServeClock.seconds() - start)
        } catch let error as BenchServeError {
            var failed = accumulator.finished(at: BenchServeClock.seconds() - start)
            failed.success = false
            failed.error = error.description
            return failed
        } catch {
            var failed = accumulator.finished(at: BenchServeClock.seconds() - start)
            failed.success = false
            failed.error = "\(error)"
            return failed
        }
    }
}

/// A monotonic clock in seconds.
enum BenchServeClock {
    /// Seconds since an arbitrary fixed point (monotonic).
    static func seconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
