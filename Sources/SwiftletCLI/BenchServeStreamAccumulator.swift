import Foundation

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
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: Data(event.utf8)) as? [String: Any] else {
                throw BenchServeError.malformedSSE("event data is not a JSON object: \(event.prefix(120))")
            }
            object = parsed
        } catch let error as BenchServeError {
            throw error
        } catch {
            throw .malformedSSE("event data is not JSON: \(event.prefix(120))")
        }
        if let error = object["error"] {
            let message = (error as? [String: Any])?["message"] as? String ?? "\(error)"
            throw .serverError(message)
        }
        if let usage = object["usage"] as? [String: Any], let tokens = usage["completion_tokens"] as? Int {
            // Bounded so that totals over many requests cannot overflow.
            guard (0...Int(Int32.max)).contains(tokens) else {
                throw .malformedSSE("usage.completion_tokens \(tokens) is out of range")
            }
            usageCompletionTokens = tokens
        }
        guard let choices = object["choices"] as? [[String: Any]], let choice = choices.first else { return }
        let text = (choice["text"] as? String) ?? ((choice["delta"] as? [String: Any])?["content"] as? String) ?? ""
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
