/// What one benchmark request measured; times in seconds from the moment it was sent.
struct BenchServeRequestResult: Sendable, Equatable {
    /// Whether the request streamed to its end without error and produced text.
    var success = false
    /// Why it failed (nil on success).
    var error: String?
    /// Prompt tokens as the dataset built it (the figure vLLM reports as input tokens).
    var promptLen = 0
    /// Generated tokens: the usage chunk's `completion_tokens`, else the number of content chunks.
    var outputTokens = 0
    /// Time to the first chunk carrying text.
    var ttft = 0.0
    /// Gaps between consecutive text chunks.
    var itls: [Double] = []
    /// Time to the end of the stream.
    var latency = 0.0
    /// The generated text, joined from the chunks.
    var generatedText = ""
}
