import Foundation
import SwiftletJSON

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
    /// When set, every request asks for JSON valid against this schema (`response_format` json_schema).
    var jsonSchema: JSONValue?

    /// Whether the endpoint takes `messages` instead of `prompt`.
    var isChat: Bool { endpoint.hasSuffix("/chat/completions") }

    /// A streamed request's body: a prompt or one user message, EOS ignored, usage asked for.
    struct RequestBody: Encodable {
        struct Message: Encodable {
            var role = "user"
            var content: String
        }
        struct StreamOptions: Encodable {
            var includeUsage = true
            enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
        }
        struct ResponseFormat: Encodable {
            struct Schema: Encodable {
                var name = "bench"
                var schema: JSONValue
            }
            var type = "json_schema"
            var jsonSchema: Schema
            enum CodingKeys: String, CodingKey { case type, jsonSchema = "json_schema" }
        }
        var ignoreEOS = true
        var maxTokens: Int
        var messages: [Message]?
        var model: String
        var prompt: String?
        var responseFormat: ResponseFormat?
        var stream = true
        var streamOptions = StreamOptions()
        var temperature: Double

        enum CodingKeys: String, CodingKey {
            case ignoreEOS = "ignore_eos", maxTokens = "max_tokens", messages, model, prompt
            case responseFormat = "response_format", stream, streamOptions = "stream_options", temperature
        }
    }

    /// The JSON request body for `prompt`.
    func body(for prompt: String) throws -> [UInt8] {
        try CompactJSONEncoder().encode(RequestBody(
            maxTokens: outputLen, messages: isChat ? [RequestBody.Message(content: prompt)] : nil, model: model,
            prompt: isChat ? nil : prompt, responseFormat: jsonSchema.map { .init(jsonSchema: .init(schema: $0)) },
            temperature: temperature))
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
