import SwiftletJSON

/// Turns the `data:` events of one OpenAI streaming response (completions or chat) into a
/// `BenchServeRequestResult`: TTFT at the first chunk with text, ITL between text chunks,
/// output tokens from the usage chunk when one comes, else one per text chunk.
struct BenchServeStreamAccumulator {
    private(set) var result: BenchServeRequestResult
    /// Whether `[DONE]` arrived.
    private(set) var isDone = false
    private var numContentChunks = 0
    private var usageCompletionTokens: Int?
    private var lastChunkTime = 0.0

    init(promptLen: Int) {
        result = BenchServeRequestResult(promptLen: promptLen)
    }

    /// Consumes the data of one event that arrived `time` seconds after the request was sent.
    mutating func consume(_ event: String, at time: Double) throws(BenchServeError) {
        if event == "[DONE]" {
            isDone = true
            return
        }
        guard let parsed = try? JSONValue(parsing: event) else {
            throw .malformedSSE("event data is not JSON: \(event.prefix(120))")
        }
        guard let object = parsed.objectValue else {
            throw .malformedSSE("event data is not a JSON object: \(event.prefix(120))")
        }
        if let error = object["error"] {
            throw .serverError(error["message"]?.stringValue ?? error.stringValue ?? String(event.prefix(120)))
        }
        if let tokens = object["usage"]?["completion_tokens"]?.intValue {
            // Bounded so that totals over many requests cannot overflow.
            guard (0...Int(Int32.max)).contains(tokens) else {
                throw .malformedSSE("usage.completion_tokens \(tokens) is out of range")
            }
            usageCompletionTokens = tokens
        }
        guard let choice = object["choices"]?[0] else { return }
        let text = choice["text"]?.stringValue ?? choice["delta"]?["content"]?.stringValue ?? ""
        guard !text.isEmpty else { return }
        if numContentChunks == 0 {
            result.ttft = time
        } else {
            result.itls.append(time - lastChunkTime)
        }
        lastChunkTime = time
        numContentChunks += 1
        result.generatedText += text
    }

    /// The result once the stream has ended `time` seconds after the request was sent.
    func finished(at time: Double) -> BenchServeRequestResult {
        var final = result
        final.latency = time
        final.outputTokens = usageCompletionTokens ?? numContentChunks
        final.success = numContentChunks > 0
        if !final.success { final.error = BenchServeError.noOutput.description }
        return final
    }
}
