import Foundation

/// Parameters of `LLM.beamSearch`, as vLLM's `BeamSearchParams`.
public struct BeamSearchParams: Sendable, Equatable {
    /// Beams kept after each step (and sequences returned per prompt).
    public var beamWidth: Int
    /// Tokens to generate at most.
    public var maxTokens: Int
    /// Treat the end-of-sequence token as an ordinary token (beams never complete early).
    public var ignoreEOS: Bool
    /// Temperature of each step's request (0: greedy; the candidates' logprobs are the raw model's).
    public var temperature: Double
    /// Exponent of the sequence length dividing the cumulative logprob in the score.
    public var lengthPenalty: Double

    public init(beamWidth: Int, maxTokens: Int, ignoreEOS: Bool = false, temperature: Double = 0,
                lengthPenalty: Double = 1.0) {
        self.beamWidth = beamWidth
        self.maxTokens = maxTokens
        self.ignoreEOS = ignoreEOS
        self.temperature = temperature
        self.lengthPenalty = lengthPenalty
    }

    /// Checks the ranges; `maxLogprobs` is the engine's limit (each step asks for 2 × beamWidth).
    func validate(maxLogprobs: Int) throws {
        guard beamWidth >= 1, beamWidth <= maxLogprobs / 2 else {
            throw GenerationError.invalidParams(
                "beam_width must be in 1...\(maxLogprobs / 2) (each step asks for 2 x beam_width logprobs, at most --max-logprobs \(maxLogprobs)), got \(beamWidth)")
        }
        guard maxTokens >= 1 else { throw GenerationError.invalidParams("max_tokens must be at least 1, got \(maxTokens)") }
        guard temperature.isFinite, temperature >= 0 else {
            throw GenerationError.invalidParams("temperature must be a number >= 0, got \(temperature)")
        }
        guard lengthPenalty.isFinite else {
            throw GenerationError.invalidParams("length_penalty must be finite, got \(lengthPenalty)")
        }
    }
}

/// One beam: the prompt and the tokens generated after it, with their summed logprob.
public struct BeamSearchSequence: Sendable, Equatable {
    /// The prompt followed by the generated tokens (vLLM's `tokens`).
    public var tokens: [Int]
    public var numPromptTokens: Int
    /// The sum of the generated tokens' logprobs.
    public var cumulativeLogprob: Double
    /// Per generated token, the logprobs of the step that chose it.
    public var logprobs: [TokenLogprobs]
    /// `tokens` decoded (prompt included, special tokens kept, as vLLM); set on returned sequences.
    public var text: String = ""

    public init(tokens: [Int], numPromptTokens: Int, cumulativeLogprob: Double = 0, logprobs: [TokenLogprobs] = []) {
        self.tokens = tokens
        self.numPromptTokens = numPromptTokens
        self.cumulativeLogprob = cumulativeLogprob
        self.logprobs = logprobs
    }

    /// The generated tokens.
    public var outputTokenIDs: ArraySlice<Int> { tokens[min(numPromptTokens, tokens.count)...] }

    /// vLLM's beam score: cumulative logprob / (length ^ lengthPenalty), where the length counts
    /// the prompt and leaves out a final end-of-sequence token.
    public func score(lengthPenalty: Double, eosTokenIDs: Set<Int>) -> Double {
        var length = tokens.count
        if let last = tokens.last, eosTokenIDs.contains(last) { length -= 1 }
        return cumulativeLogprob / pow(Double(max(length, 1)), lengthPenalty)
    }
}

/// The best sequences of one prompt, best first.
public struct BeamSearchOutput: Sendable, Equatable {
    public var sequences: [BeamSearchSequence]
}
