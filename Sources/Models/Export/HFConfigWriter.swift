import ModelFormats

/// config.json and generation_config.json text for a `ModelConfig`, in transformers' spelling.
enum HFConfigWriter {
    /// One JSON value; numbers are written in Swift's shortest round-trip form, so a Float
    /// such as rms_norm_eps reads back to the same Float.
    enum Value {
        case int(Int), double(Double), bool(Bool), string(String), array([Value]), object([(String, Value)]), null

        var json: String {
            switch self {
            case .int(let v): return String(v)
            case .double(let v): return v.isFinite ? "\(v)" : "null"
            case .bool(let v): return v ? "true" : "false"
            case .string(let v): return JSONText.quoted(v)
            case .array(let values): return "[" + values.map(\.json).joined(separator: ", ") + "]"
            case .object(let pairs):
                return "{\n" + pairs.map { "  \(JSONText.quoted($0.0)): \($0.1.json)" }.joined(separator: ",\n") + "\n}"
            case .null: return "null"
            }
        }
    }

    /// transformers class and model_type for an architecture.
    static func names(_ architecture: ModelConfig.Architecture) -> (String, String) {
        switch architecture {
        case .llama: return ("LlamaForCausalLM", "llama")
        case .mistral: return ("MistralForCausalLM", "mistral")
        case .qwen2: return ("Qwen2ForCausalLM", "qwen2")
        case .qwen3: return ("Qwen3ForCausalLM", "qwen3")
        case .qwen2moe: return ("Qwen2MoeForCausalLM", "qwen2_moe")
        case .qwen3moe: return ("Qwen3MoeForCausalLM", "qwen3_moe")
        case .phi3: return ("Phi3ForCausalLM", "phi3")
        case .gemma3: return ("Gemma3ForCausalLM", "gemma3_text")
        }
    }

    static func configJSON(_ c: ModelConfig, torchDType: String) -> String {
        let (className, modelType) = names(c.architecture)
        var pairs: [(String, Value)] = [
            ("architectures", .array([.string(className)])),
            ("model_type", .string(modelType)),
            ("hidden_act", .string("silu")),
            ("hidden_size", .int(c.hiddenSize)),
            ("intermediate_size", .int(c.intermediateSize)),
            ("num_hidden_layers", .int(c.numLayers)),
            ("num_attention_heads", .int(c.numHeads)),
            ("num_key_value_heads", .int(c.numKVHeads)),
            ("head_dim", .int(c.headDim)),
            ("vocab_size", .int(c.vocabSize)),
            ("max_position_embeddings", .int(c.maxPositionEmbeddings)),
            ("rms_norm_eps", .double(Double(c.rmsNormEps))),
            ("rope_theta", .double(Double(c.ropeTheta))),
            ("rope_scaling", ropeScaling(c.ropeScaling)),
            ("tie_word_embeddings", .bool(c.tieWordEmbeddings)),
            ("attention_bias", .bool(c.architecture == .qwen2 ? false : c.qkvBias)),
            ("mlp_bias", .bool(c.mlpBias)),
            ("bos_token_id", c.bosTokenID.map(Value.int) ?? .null),
            ("eos_token_id", eos(c.eosTokenIDs)),
            ("torch_dtype", .string(torchDType)),
        ]
        if let gemma = c.gemma {
            // transformers' Gemma3TextConfig: the activation's name, the query scale, the local
            // rotary base and each layer's attention kind
            pairs[2] = ("hidden_activation", .string("gelu_pytorch_tanh"))
            let layerTypes = (0..<c.numLayers).map { Value.string(c.attentionWindow(layer: $0) > 0 ? "sliding_attention" : "full_attention") }
            pairs += [("sliding_window", c.slidingWindow.map(Value.int) ?? .null),
                      ("sliding_window_pattern", .int(gemma.slidingWindowPattern)),
                      ("layer_types", .array(layerTypes)),
                      ("query_pre_attn_scalar", .double(Double(gemma.queryPreAttnScalar))),
                      ("rope_local_base_freq", .double(Double(gemma.localRopeTheta))),
                      ("final_logit_softcapping", .null), ("attn_logit_softcapping", .null)]
        } else if let window = c.slidingWindow {
            pairs += [("sliding_window", .int(window)), ("use_sliding_window", .bool(true))]
        } else {
            pairs += [("sliding_window", .null), ("use_sliding_window", .bool(false))]
        }
        return Value.object(pairs).json + "\n"
    }

    static func generationConfigJSON(_ c: ModelConfig) -> String {
        Value.object([
            ("bos_token_id", c.bosTokenID.map(Value.int) ?? .null),
            ("eos_token_id", eos(c.eosTokenIDs)),
        ]).json + "\n"
    }

    private static func eos(_ ids: [Int]) -> Value {
        ids.count == 1 ? .int(ids[0]) : ids.isEmpty ? .null : .array(ids.map(Value.int))
    }

    private static func ropeScaling(_ scaling: RopeScaling?) -> Value {
        switch scaling {
        case nil:
            return .null
        case let .linear(factor)?:
            return .object([("rope_type", .string("linear")), ("factor", .double(Double(factor)))])
        case let .llama3(factor, low, high, original)?:
            return .object([("rope_type", .string("llama3")), ("factor", .double(Double(factor))),
                            ("low_freq_factor", .double(Double(low))), ("high_freq_factor", .double(Double(high))),
                            ("original_max_position_embeddings", .int(original))])
        case let .yarn(factor, original, betaFast, betaSlow, attentionFactor)?:
            var pairs: [(String, Value)] = [("rope_type", .string("yarn")), ("factor", .double(Double(factor))),
                                            ("original_max_position_embeddings", .int(original)),
                                            ("beta_fast", .double(Double(betaFast))), ("beta_slow", .double(Double(betaSlow)))]
            if let attentionFactor { pairs.append(("attention_factor", .double(Double(attentionFactor)))) }
            return .object(pairs)
        }
    }
}
