import ArgumentParser
import Swiftlet

extension SpeculativeConfig {
    static let flagHelp = #"Speculative decoding, vLLM's JSON: {"method": "ngram", "num_speculative_tokens": K, "prompt_lookup_max": 4, "prompt_lookup_min": 2} drafts K tokens per step by prompt lookup; {"method": "suffix"} by suffix trees over the request and earlier outputs (up to 24 tokens, sized by the match); {"model": "DRAFT.gguf", "num_speculative_tokens": K} by a smaller model of the same vocabulary. Greedy outputs are exactly those of decoding without it, sampled ones follow the same distribution."#

    /// `--speculative-config`: nil when absent; a configuration this engine runs, or its refusal.
    static func parsing(flag: String?) throws -> SpeculativeConfig? {
        guard let flag else { return nil }
        do { return try SpeculativeConfig.parse(json: flag) } catch { throw ValidationError(error.description) }
    }
}
