import Testing
@testable import Engine

/// `--speculative-config` as vLLM reads it: the ngram method with its defaults, and a clear
/// refusal for every method, field or value this engine does not act on.
struct SpeculativeConfigTests {
    @Test func ngramDefaultsFollowVLLM() throws {
        let both = try SpeculativeConfig.parse(json: #"{"method": "ngram", "num_speculative_tokens": 4}"#)
        #expect(both == SpeculativeConfig(method: .ngram, numSpeculativeTokens: 4, promptLookupMax: 5, promptLookupMin: 5))
        let max = try SpeculativeConfig.parse(json: #"{"method": "ngram", "num_speculative_tokens": 3, "prompt_lookup_max": 4}"#)
        #expect(max.promptLookupMin == 4 && max.promptLookupMax == 4)
        let full = try SpeculativeConfig.parse(json: #"{"model": "[ngram]", "num_speculative_tokens": 2, "prompt_lookup_max": 4, "prompt_lookup_min": 2, "disable_by_batch_size": 8}"#)
        #expect(full == SpeculativeConfig(method: .ngram, numSpeculativeTokens: 2, promptLookupMax: 4, promptLookupMin: 2, disableByBatchSize: 8))
    }

    /// Suffix decoding with vLLM's defaults (num_speculative_tokens: the tree depth) or its fields.
    @Test func suffixDefaultsFollowVLLM() throws {
        let plain = try SpeculativeConfig.parse(json: #"{"method": "suffix"}"#)
        #expect(plain.method == .suffix && plain.numSpeculativeTokens == 24 && plain.suffixDecodingMaxTreeDepth == 24)
        #expect(plain.suffixDecodingMaxCachedRequests == 10000 && plain.suffixDecodingMaxSpecFactor == 1 && plain.suffixDecodingMinTokenProb == 0.1)
        let set = try SpeculativeConfig.parse(json: #"{"method": "suffix", "suffix_decoding_max_tree_depth": 32, "suffix_decoding_max_cached_requests": 0, "suffix_decoding_max_spec_factor": 2.5, "suffix_decoding_min_token_prob": 0.2}"#)
        #expect(set.numSpeculativeTokens == 32 && set.suffixDecodingMaxCachedRequests == 0)
        #expect(set.suffixDecodingMaxSpecFactor == 2.5 && set.suffixDecodingMinTokenProb == 0.2)
    }

    /// A "model" that names no method is a draft model's path (vLLM infers draft_model), or
    /// "method": "draft_model" with it.
    @Test func draftModelByPathOrMethod() throws {
        let path = try SpeculativeConfig.parse(json: #"{"model": "models/draft.gguf", "num_speculative_tokens": 4}"#)
        #expect(path == SpeculativeConfig(method: .draftModel, model: "models/draft.gguf", numSpeculativeTokens: 4))
        let named = try SpeculativeConfig.parse(json: #"{"method": "draft_model", "model": "d", "num_speculative_tokens": 2, "disable_by_batch_size": 4}"#)
        #expect(named == SpeculativeConfig(method: .draftModel, model: "d", numSpeculativeTokens: 2, disableByBatchSize: 4))
        // a draft model stops drafting at 4 running requests unless told, suffix decoding at 32, n-gram never
        #expect(path.batchSizeLimit == 4 && named.batchSizeLimit == 4)
        #expect(try SpeculativeConfig.parse(json: #"{"model": "d", "num_speculative_tokens": 2, "disable_by_batch_size": 9}"#).batchSizeLimit == 9)
        #expect(try SpeculativeConfig.parse(json: #"{"method": "suffix"}"#).batchSizeLimit == 32)
        #expect(try SpeculativeConfig.parse(json: #"{"method": "ngram", "num_speculative_tokens": 2}"#).batchSizeLimit == nil)
    }

    @Test("Refused with a message naming the problem", arguments: [
        (#"{"method": "eagle", "num_speculative_tokens": 4}"#, "the method \"eagle\" is not implemented (supported: ngram, suffix, draft_model)"),
        (#"{"method": "ngram", "num_speculative_tokens": 4, "suffix_decoding_max_tree_depth": 8}"#, "suffix_decoding_max_tree_depth applies to \"method\": \"suffix\" only"),
        (#"{"method": "suffix", "suffix_decoding_min_token_prob": 1.5}"#, "suffix_decoding_min_token_prob in 0...1"),
        (#"{"method": "suffix", "suffix_decoding_max_spec_factor": 1e19}"#, "suffix_decoding_max_spec_factor in (0, 1e6]"),
        (#"{"method": "suffix", "num_speculative_tokens": 8, "suffix_decoding_max_tree_depth": 1000000000000000000}"#, "suffix_decoding_max_tree_depth must be in 1...1024"),
        (#"{"method": "ngram", "num_speculative_tokens": 100000}"#, "num_speculative_tokens must be in 1...1024"),
        (#"{"method": "suffix", "prompt_lookup_max": 3}"#, "prompt_lookup_max and prompt_lookup_min apply to \"method\": \"ngram\" only"),
        (#"{"method": "draft_model", "num_speculative_tokens": 4}"#, "the draft_model method needs \"model\""),
        (#"{"method": "ngram", "model": "models/draft.gguf", "num_speculative_tokens": 4}"#, "the ngram method takes no draft model"),
        (#"{"num_speculative_tokens": 4}"#, "\"method\" or \"model\" is required"),
        (#"{"method": "ngram"}"#, "num_speculative_tokens is required"),
        (#"{"method": "ngram", "num_speculative_tokens": 0}"#, "num_speculative_tokens must be in 1...1024"),
        (#"{"method": "ngram", "num_speculative_tokens": 2, "prompt_lookup_min": 5, "prompt_lookup_max": 2}"#, "min <= max"),
        (#"{"method": "ngram", "num_speculative_tokens": 2, "draft_tensor_parallel_size": 1}"#, "\"draft_tensor_parallel_size\" is not supported"),
        (#"[1, 2]"#, "must be a JSON object"),
    ])
    func refusals(json: String, message: String) {
        do {
            _ = try SpeculativeConfig.parse(json: json)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
