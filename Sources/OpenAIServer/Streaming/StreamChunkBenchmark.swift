import Engine
import Foundation
import SwiftletTokenizers

/// The server's cost per streamed chunk, without an engine: a request's outputs are replayed one
/// token at a time through the same chunk encoders the chat and completions streams use.
public enum StreamChunkBenchmark {
    public struct Figures: Sendable {
        public var numChunks: Int
        public var chatNanosecondsPerChunk: Double
        public var completionNanosecondsPerChunk: Double
        /// Mean size of a chat chunk's event, bytes.
        public var chatBytesPerChunk: Double
    }

    /// `numStreams` streams of `tokensPerStream` tokens each (ids drawn from a fixed seed), with
    /// `logprobs` top entries per token when given. The best of `repeats` passes is reported.
    public static func run(tokenizer: Tokenizer, vocabSize: Int, numStreams: Int, tokensPerStream: Int,
                           logprobs: Int?, repeats: Int = 3) -> Figures {
        let tokenText: @Sendable (Int) -> String = { (try? tokenizer.decode([$0])) ?? "" }
        var random = RandomGenerator(seed: 1)
        let streams = (0..<numStreams).map { stream in
            replay(tokens: (0..<tokensPerStream).map { _ in random.ordinaryTokenID(vocabSize: vocabSize) },
                   logprobs: logprobs, vocabSize: vocabSize, requestID: "bench-\(stream)", tokenText: tokenText)
        }
        var bestChat = Double.infinity, bestCompletion = Double.infinity
        var numChunks = 0
        var chatBytes = 0
        for _ in 0..<max(1, repeats) {
            var count = 0
            var bytes = 0
            let chatStart = ContinuousClock.now
            for outputs in streams {
                let chat = ChatStreamChunks(id: "chatcmpl-bench", created: 1_700_000_000, model: "bench", n: 1,
                                            includeUsage: true, tokenText: tokenText)
                for chunk in chat.roleChunks() { bytes += chunk.count }
                for output in outputs {
                    for chunk in chat.chunks(for: output) { bytes += chunk.count; count += 1 }
                }
                for chunk in chat.trailer(Array(outputs.suffix(1))) { bytes += chunk.count }
            }
            let chatSeconds = (ContinuousClock.now - chatStart).secondsValue
            chatBytes = bytes
            let completionStart = ContinuousClock.now
            for outputs in streams {
                let completion = CompletionStreamChunks(id: "cmpl-bench", created: 1_700_000_000, model: "bench", n: 1,
                                                        includeUsage: true, echoTexts: [], tokenText: tokenText)
                for output in outputs {
                    for chunk in completion.chunks(promptIndex: 0, output: output) { bytes += chunk.count }
                }
                for chunk in completion.trailer(Array(outputs.suffix(1))) { bytes += chunk.count }
            }
            let completionSeconds = (ContinuousClock.now - completionStart).secondsValue
            numChunks = count
            bestChat = min(bestChat, chatSeconds)
            bestCompletion = min(bestCompletion, completionSeconds)
        }
        return Figures(numChunks: numChunks, chatNanosecondsPerChunk: 1e9 * bestChat / Double(max(1, numChunks)),
                       completionNanosecondsPerChunk: 1e9 * bestCompletion / Double(max(1, numChunks)),
                       chatBytesPerChunk: Double(chatBytes) / Double(max(1, numChunks)))
    }

    /// The outputs a stream of `tokens` produces, one token per step, the last one finished.
    static func replay(tokens: [Int], logprobs: Int?, vocabSize: Int, requestID: String,
                       tokenText: (Int) -> String) -> [RequestOutput] {
        var output = RequestOutput(requestID: requestID, promptTokenIDs: [1, 2, 3], n: 1)
        if logprobs != nil { output.outputs[0].logprobs = [] }
        var outputs: [RequestOutput] = []
        for (step, token) in tokens.enumerated() {
            var completion = output.outputs[0]
            completion.tokenIDs.append(token)
            completion.deltaTokenIDs = [token]
            completion.deltaText = tokenText(token)
            completion.text += completion.deltaText
            if let k = logprobs {
                let top = (0..<k).map { TokenLogprob(tokenID: (token + $0) % vocabSize, logprob: -0.25 * Float($0 + 1)) }
                completion.logprobs?.append(TokenLogprobs(chosen: TokenLogprob(tokenID: token, logprob: -0.125), rank: 1, top: top))
            }
            if step == tokens.count - 1 { completion.finishReason = .length }
            output.outputs[0] = completion
            outputs.append(output)
        }
        return outputs
    }
}
