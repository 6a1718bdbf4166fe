import ArgumentParser
import Engine
import Foundation

/// vLLM's model-runner flags for embeddings: `--runner pooling` (or `--convert embed`) serves a
/// generative model's pooled hidden states instead of generating; a BERT directory is always an
/// embedding model. `--pooler-config` overrides the pooling.
struct PoolingOptions: ParsableArguments {
    @Option(name: .long, help: "auto (a BERT directory pools, other models generate), generate, or pooling (embeddings from a generative model's hidden states, as vLLM's --runner pooling).")
    var runner = "auto"

    @Option(name: .long, help: "auto, none, or embed (run a generative model as an embedding model; implies --runner pooling).")
    var convert = "auto"

    @Option(name: .customLong("pooler-config"), help: "Pooling as vLLM's JSON: {\"pooling_type\": \"LAST|MEAN|CLS\", \"normalize\": true} (default for a generative model: LAST, normalized; for a sentence-transformers directory: its own files).")
    var poolerConfig: String?

    func validate() throws {
        guard ["auto", "generate", "pooling"].contains(runner) else {
            throw ValidationError(runner == "draft" ? "--runner draft is for speculative decoding's draft model (use --speculative-config)"
                                  : "--runner must be auto, generate or pooling, got '\(runner)'")
        }
        guard ["auto", "none", "embed"].contains(convert) else {
            throw ValidationError(["classify", "reward", "mm_encoder_only"].contains(convert)
                                  ? "--convert \(convert) is not supported yet (embed is)" : "--convert must be auto, none or embed, got '\(convert)'")
        }
        if runner == "generate" && convert == "embed" {
            throw ValidationError("--convert embed makes an embedding model: drop --runner generate")
        }
    }

    /// The embedding engine for `model` when these flags (or the model itself) ask for one; nil:
    /// serve generation.
    func embeddingEngine(model: String, engine: EngineOptions) throws -> EmbeddingEngine? {
        let choice: LLM.Runner = runner == "pooling" || convert == "embed" ? .pooling : runner == "generate" ? .generate : .auto
        do {
            guard try EmbeddingEngine.runsPooling(path: model, runner: choice) else {
                if poolerConfig != nil { throw ValidationError("--pooler-config applies to embedding models: add --runner pooling") }
                return nil
            }
            return try EmbeddingEngine.load(path: model, numThreads: engine.threads, maxModelLen: engine.maxModelLen,
                                            maxNumBatchedTokens: engine.maxNumBatchedTokens) { base in
                try poolerConfig.map { try base.overridden(json: $0) } ?? base
            }
        } catch let error as GenerationError {
            throw ValidationError(choice == .generate ? "\(error) (drop --runner generate)" : "\(error)")
        }
    }

    /// The startup line of an embedding model.
    static func summary(_ embedder: EmbeddingEngine, name: String) -> String {
        "embedding model \(name): \(embedder.model.numLayers) layers, \(embedder.model.hiddenSize) dimensions, "
            + "\(embedder.poolerConfig.poolingType.rawValue.lowercased()) pooling\(embedder.poolerConfig.normalize ? ", normalized" : ""), "
            + "inputs up to \(embedder.maxModelLen) tokens"
    }
}
