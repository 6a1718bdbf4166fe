import Kernels
import ModelFormats

/// All weights of a Llama-family decoder, validated against its config, plus what the loader
/// derives once: the rotary pairing the stored q/k rows need and the inverse frequencies.
public struct ModelWeights: @unchecked Sendable {
    /// The architectures (GGUF `general.architecture` values) the loader accepts.
    public static var supportedGGUFArchitectures: [String] { ModelConfig.ggufArchitectures.keys.sorted() }

    /// The config every tensor was validated against.
    public let config: ModelConfig
    /// The checkpoint path, for messages.
    public let path: String
    /// Token embeddings: vocabSize rows of hiddenSize.
    public let tokenEmbedding: WeightMatrix
    /// One entry per decoder layer.
    public let layers: [LayerWeights]
    /// Final RMSNorm weight. [hiddenSize]
    public let outputNorm: FloatBuffer
    /// LM head: vocabSize rows of hiddenSize (the token embeddings when tied).
    public let output: WeightMatrix
    /// How q/k dimensions pair for RoPE: GGUF llama files store q/k rows permuted by llama.cpp's
    /// converter (adjacent pairs); HF checkpoints and GGUF Qwen2/3 pair the two halves.
    public let ropePairing: Kernels.RopePairing
    /// Inverse frequencies and attention factor from ropeTheta, headDim and rope scaling.
    public let rope: RopeFrequencies
    /// The sliding-window layers' frequencies (Gemma 3: its local base, no scaling); nil when
    /// every layer uses `rope`.
    public let localRope: RopeFrequencies?
    /// Keeps the mapping the matrices point into alive.
    let storage: AnyObject

    /// How the projections of a quantized checkpoint quantize their inputs before each matmul
    /// (compressed-tensors FP8_DYNAMIC and W8A8: transformers and vLLM run those layers with
    /// dynamic per-token activation scales); nil for every other model.
    public var activationQuantization: ActivationQuantization? {
        if let onlineQuantization { return onlineQuantization.activations }
        guard case .compressedTensors(let c)? = config.quantization else { return nil }
        return CompressedTensorsWeights.activationQuantization(c)
    }
    /// The `--quantization` the projections were quantized with at load, nil when loaded as stored.
    public private(set) var onlineQuantization: OnlineQuantization?
    /// Per layer, the checkpoint's FP8 key and value cache scales (compressed-tensors
    /// `kv_cache_scheme`: `self_attn.k_scale` / `v_scale`), applied when the KV cache is FP8; nil
    /// when the checkpoint has none (scale 1).
    public private(set) var kvCacheScales: [KVCacheScales]?

    /// Whether some projection stores its columns in an order of its own (activation-ordered GPTQ).
    public var hasColumnOrders: Bool {
        layers.contains { $0.projections.contains { $0.columnOrder != nil } }
    }

    /// Loads a GGUF file: checks `general.architecture`, builds the config from the metadata,
    /// then maps and validates every tensor. `packWeights` false keeps every matrix on the
    /// kernels of its stored type (Q8_0 with F32 activations), for comparisons.
    public init(gguf file: GGUFFile, packWeights: Bool = WeightMatrix.packingEnabled) throws {
        try Self.checkArchitecture(of: file)
        let config = try ModelConfig(ggufMetadata: file.metadata, path: file.path,
                                     hasOutputTensor: file.tensor(named: TensorRole.output.ggufName(layer: 0)) != nil)
        try self.init(gguf: file, config: config, packWeights: packWeights)
    }

    /// Maps and validates the tensors of a GGUF file against `config`.
    public init(gguf file: GGUFFile, config: ModelConfig, packWeights: Bool = WeightMatrix.packingEnabled) throws {
        try Self.checkArchitecture(of: file)
        // llama.cpp's converter permutes q/k rows of llama-named files only
        let pairing: Kernels.RopePairing = (config.architecture == .llama || config.architecture == .mistral) ? .adjacent : .halves
        try self.init(source: GGUFWeightSource(file: file), config: config, ropePairing: pairing, packWeights: packWeights)
    }

    /// Maps and validates the tensors of a Hugging Face checkpoint against `config`
    /// (from its config.json). HF q/k rows are in transformers' order: halves pairing.
    /// Quantized checkpoints load with their matrices repacked (`RepackedWeights`): compressed-tensors
    /// FP8, INT8 and packed INT4/INT8, vLLM's fp8 (per tensor or per tile), GPTQ and AWQ; other schemes are refused naming them.
    /// `quantization` (vLLM's `--quantization`) quantizes an unquantized checkpoint's projections at
    /// load; a checkpoint that is quantized already is refused with it.
    public init(safetensors checkpoint: SafeTensorsCheckpoint, config: ModelConfig, quantization online: OnlineQuantization? = nil) throws {
        var repacked: RepackedWeights?
        let path = checkpoint.directory.path
        if let online {
            if let stored = config.quantization {
                throw ModelLoadingError.invalidConfig(
                    file: path, reason: "--quantization \(online.rawValue) applies to unquantized checkpoints; this one is quantized already (\(stored.summary))")
            }
            repacked = try online.repack(checkpoint, config: config)
        } else if let quantization = config.quantization {
            repacked = try RepackedWeights.load(checkpoint, quantization: quantization)
        }
        try self.init(source: SafeTensorsWeightSource(checkpoint: checkpoint, gemma: config.architecture == .gemma3, repacked: repacked),
                      config: config, ropePairing: .halves)
        onlineQuantization = online
        if case .compressedTensors(let c)? = config.quantization, c.kvCacheScheme != nil {
            kvCacheScales = try (0..<config.numLayers).map { try KVCacheScales(checkpoint, layer: $0) }
        }
    }

    /// Throws `unsupportedArchitecture` unless the file's `general.architecture` is one we run.
    public static func checkArchitecture(of file: GGUFFile) throws {
        let name = file.metadata["general.architecture"]?.stringValue ?? "<missing general.architecture>"
        guard ModelConfig.ggufArchitectures[name] != nil else {
            throw ModelLoadingError.unsupportedArchitecture(file: file.path, name: name, supported: supportedGGUFArchitectures)
        }
    }

    init(source: some WeightSource, config: ModelConfig, ropePairing: Kernels.RopePairing,
         packWeights: Bool = WeightMatrix.packingEnabled) throws {
        let loader = WeightLoader(source: source, pack: packWeights)
        let c = config
        guard let qDim = checkedProduct([c.numHeads, c.headDim]), let kvDim = checkedProduct([c.numKVHeads, c.headDim]),
              c.numHeads > 0, c.numKVHeads > 0, c.numHeads % c.numKVHeads == 0, c.headDim > 0, c.headDim % 2 == 0
        else {
            throw ModelLoadingError.invalidConfig(file: source.path, reason: "heads \(c.numHeads)/\(c.numKVHeads) x head dimension \(c.headDim) cannot be run")
        }
        self.config = config
        self.path = source.path
        self.storage = source.owner
        self.ropePairing = ropePairing
        // Phi-3's LongRoPE factors pick short or long frequencies by context length: not implemented
        for name in ["rope_factors_long.weight", "rope_factors_short.weight"] where source.tensor(named: name) != nil {
            throw ModelLoadingError.unsupportedTensor(file: source.path, tensor: name,
                                                      reason: "LongRoPE frequency factors (long-context Phi-3) are not implemented")
        }
        let factors = try loader.optionalVector(.ropeFrequencyFactors, layer: 0, count: c.headDim / 2)
        self.rope = try RopeFrequencies(config: config, file: source.path, frequencyFactors: factors?.array)
        if let gemma = config.gemma {
            var local = config
            local.ropeTheta = gemma.localRopeTheta
            local.ropeScaling = nil
            self.localRope = try RopeFrequencies(config: local, file: source.path)
        } else {
            self.localRope = nil
        }
        // the embeddings are packed only when they are also the LM head
        tokenEmbedding = try loader.embeddingMatrix(.tokenEmbedding, rows: c.vocabSize, cols: c.hiddenSize,
                                                    packed: c.tieWordEmbeddings)
        outputNorm = try loader.vector(.outputNorm, layer: 0, count: c.hiddenSize)
        if c.tieWordEmbeddings {
            output = tokenEmbedding
        } else {
            output = try loader.matrix(.output, layer: 0, rows: c.vocabSize, cols: c.hiddenSize)
        }
        var layers: [LayerWeights] = []
        for i in 0..<c.numLayers {
            func optionalVector(_ role: TensorRole, _ present: Bool, _ count: Int) throws -> FloatBuffer? {
                present ? try loader.vector(role, layer: i, count: count) : nil
            }
            let attnNorm = try loader.vector(.attnNorm, layer: i, count: c.hiddenSize)
            // Phi-3 stores q, k, v in one tensor and gate, up in another: row views of each
            let fused = c.architecture == .phi3
            let qkv = fused
                ? try loader.splitMatrix(.qkv, layer: i, rowCounts: [qDim, kvDim, kvDim], cols: c.hiddenSize)
                : [try loader.matrix(.q, layer: i, rows: qDim, cols: c.hiddenSize),
                   try loader.matrix(.k, layer: i, rows: kvDim, cols: c.hiddenSize),
                   try loader.matrix(.v, layer: i, rows: kvDim, cols: c.hiddenSize)]
            let o = try loader.matrix(.o, layer: i, rows: c.hiddenSize, cols: qDim)
            let moe = try c.moe.map { try Self.loadExperts(loader, layer: i, hiddenSize: c.hiddenSize, $0) }
            var mlp: [WeightMatrix?] = [nil, nil, nil]  // gate, up, down; nil in mixture-of-experts layers
            if moe == nil {
                let gateUp = fused
                    ? try loader.splitMatrix(.gateUp, layer: i, rowCounts: [c.intermediateSize, c.intermediateSize], cols: c.hiddenSize)
                    : [try loader.matrix(.gate, layer: i, rows: c.intermediateSize, cols: c.hiddenSize),
                       try loader.matrix(.up, layer: i, rows: c.intermediateSize, cols: c.hiddenSize)]
                mlp = gateUp + [try loader.matrix(.down, layer: i, rows: c.hiddenSize, cols: c.intermediateSize)]
            }
            layers.append(LayerWeights(
                attnNorm: attnNorm,
                q: qkv[0], k: qkv[1], v: qkv[2], o: o,
                qBias: try optionalVector(.qBias, c.qkvBias, qDim),
                kBias: try optionalVector(.kBias, c.qkvBias, kvDim),
                vBias: try optionalVector(.vBias, c.qkvBias, kvDim),
                oBias: try optionalVector(.oBias, c.outputBias, c.hiddenSize),
                qNorm: try optionalVector(.qNorm, c.qkNorm, c.headDim),
                kNorm: try optionalVector(.kNorm, c.qkNorm, c.headDim),
                ffnNorm: try loader.vector(.ffnNorm, layer: i, count: c.hiddenSize),
                gate: mlp[0], up: mlp[1], down: mlp[2],
                gateBias: try optionalVector(.gateBias, c.mlpBias, c.intermediateSize),
                upBias: try optionalVector(.upBias, c.mlpBias, c.intermediateSize),
                downBias: try optionalVector(.downBias, c.mlpBias, c.hiddenSize),
                postAttnNorm: try optionalVector(.postAttnNorm, c.postNorms, c.hiddenSize),
                postFFNNorm: try optionalVector(.postFFNNorm, c.postNorms, c.hiddenSize),
                moe: moe))
        }
        self.layers = layers
    }

    /// One layer's router and experts (and shared expert), validated against `moe`.
    static func loadExperts(_ loader: WeightLoader<some WeightSource>, layer i: Int, hiddenSize h: Int,
                            _ moe: ModelConfig.MixtureOfExperts) throws -> MoEWeights {
        let e = moe.numExperts, f = moe.expertIntermediateSize
        let gates = try loader.stackedMatrices(.expertGate, layer: i, count: e, rows: f, cols: h)
        let ups = try loader.stackedMatrices(.expertUp, layer: i, count: e, rows: f, cols: h)
        let downs = try loader.stackedMatrices(.expertDown, layer: i, count: e, rows: h, cols: f)
        var shared: MoEWeights.Expert?
        var sharedGate: FloatBuffer?
        if let s = moe.sharedExpertIntermediateSize {
            shared = MoEWeights.Expert(gate: try loader.matrix(.sharedGate, layer: i, rows: s, cols: h),
                                       up: try loader.matrix(.sharedUp, layer: i, rows: s, cols: h),
                                       down: try loader.matrix(.sharedDown, layer: i, rows: h, cols: s))
            sharedGate = try loader.vector(.sharedRouter, layer: i, count: h)
        }
        return MoEWeights(router: try loader.matrix(.router, layer: i, rows: e, cols: h),
                          experts: (0..<e).map { MoEWeights.Expert(gate: gates[$0], up: ups[$0], down: downs[$0]) },
                          shared: shared, sharedGate: sharedGate)
    }
}
