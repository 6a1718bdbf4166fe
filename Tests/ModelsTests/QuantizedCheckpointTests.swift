import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// Quantized Hugging Face checkpoints as their tools write them (Fixtures/compressed/*, random
/// Llamas: compressed-tensors ones by llm-compressor through scripts/reference/make_compressed.py,
/// a vLLM-format FP8 one with 128x128 weight blocks by make_fp8_blocks.py; each script also wrote
/// transformers' logits of its checkpoints): every quantized matrix loads repacked into its block
/// layout, holds the values the format defines, and the model gives transformers' logits.
@Suite struct QuantizedCheckpointTests {
    /// A fixture, the layout its Linear layers load into, and its activation quantization.
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let type: WeightType
        let activations: ActivationQuantization?
        /// Bounds on the mean and median |Δ log-prob|. INT8 activations round to a uniform grid of
        /// max|x| / 127.5 steps, so a last-bit difference in an input (summation order) now and then
        /// moves a small value by a whole step, and later layers carry it on (measured: 9.2e-4 mean,
        /// 9.8e-5 median on the packed integer kernels; 4.6e-3 mean with the inputs not rounded at all).
        var meanDelta = 1e-4
        var medianDelta = 1e-4
        /// The cache the model runs with: FP8 for the checkpoint whose keys and values are FP8 with scales.
        var kvCacheDType = KVCacheDType.float32
        var description: String { name }
    }

    static let cases = [
        Case(name: "llama-fp8-dynamic", type: .f8_e4m3_b32, activations: .fp8PerToken),
        Case(name: "llama-w8a8-int8", type: .i8_b32, activations: .int8PerToken, meanDelta: 2e-3, medianDelta: 4e-4),
        Case(name: "llama-w4a16-gptq", type: .u4_b32, activations: nil),
        Case(name: "llama-w4a16-asym", type: .u4_b32, activations: nil),
        Case(name: "llama-fp8-blocks", type: .f8_e4m3_b32, activations: nil),
        Case(name: "llama-awq-g64", type: .u4_b32, activations: nil),
        Case(name: "llama-gptq-4bit-g128", type: .u4_b32, activations: nil),
        Case(name: "llama-gptq-4bit-asym-g64", type: .u4_b32, activations: nil),
        Case(name: "llama-gptq-4bit-channel", type: .u4_b32, activations: nil),
        Case(name: "llama-gptq-8bit-g128", type: .i8_b32, activations: nil),
        Case(name: "llama-gptq-4bit-g32-actorder", type: .u4_b32, activations: nil),
        Case(name: "llama-fp8-kv", type: .f8_e4m3_b32, activations: .fp8PerToken, kvCacheDType: .fp8E4M3),
        Case(name: "llama-fp8-static", type: .f8_e4m3_b32, activations: .fp8Static),
    ]

    static func fixture(_ name: String = "llama-fp8-dynamic") throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("compressed").appendingPathComponent(name)
    }

    static func load(_ dir: URL) throws -> ModelWeights {
        let config = try ModelConfig(contentsOf: dir.appendingPathComponent("config.json"))
        return try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config)
    }

    @Test(arguments: cases)
    func matchesTransformersOnTheSameCheckpoint(_ c: Case) throws {
        let weights = try Self.load(try Self.fixture(c.name))
        #expect(weights.config.quantization != nil && weights.activationQuantization == c.activations)
        for layer in weights.layers {
            for w in layer.projections {
                #expect(w.type == c.type && w.rowByteCount == w.cols / 32 * c.type.typeSize)
            }
        }
        #expect(weights.output.type.isGGMLType && weights.tokenEmbedding.type.isGGMLType)  // lm_head ignored, embeddings not Linear

        let fixture = try ReferenceFixture.load(c.name + "-transformers.json")
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 64,
                                   maxNumLogitsRows: 64, maxNumSeqs: 4)
        // llm-compressor's kv_cache_scheme: a k_scale and v_scale per layer, read when the cache is FP8
        #expect((weights.kvCacheScales?.count ?? 0) == (c.kvCacheDType.isFP8 ? weights.config.numLayers : 0))
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 32, blockSize: 16, dtype: c.kvCacheDType)
        let comparison = ReferenceComparison(model: model, cache: cache, blockSize: 16)
        let agreement = try comparison.agreement(fixture.sequences)
        print("\(c.name) vs transformers: \(agreement.numPositions) positions, top-1 \(agreement.top1Rate), mean |Δ| \(agreement.meanAbsDelta), median \(agreement.medianAbsDelta), max \(agreement.maxAbsDelta)")
        #expect(agreement.numPositions == 144)
        #expect(agreement.top1Rate >= 0.995)
        #expect(agreement.meanAbsDelta <= c.meanDelta && agreement.medianAbsDelta <= c.medianDelta)
        #expect(try comparison.greedyMatches(fixture, numSteps: 32, label: c.name) == 2)
    }

    /// Row 5 of layer 1's down projection as stored: the repacked row equals the checkpoint's
    /// codes and scales decoded here from the format's definition.
    @Test(arguments: cases)
    func repackedRowsHoldTheCheckpointsValues(_ c: Case) throws {
        let dir = try Self.fixture(c.name)
        let weights = try Self.load(dir)
        let checkpoint = try SafeTensorsCheckpoint(directory: dir)
        let base = "model.layers.1.mlp.down_proj.weight"
        let down = try #require(weights.layers[1].down)
        let cols = down.cols, r = 5
        var expected = [Float](repeating: 0, count: cols)
        /// Nibble `index` of little-endian 32-bit word `word`.
        func nibble(_ bytes: [UInt8], word: Int, index: Int) -> Int {
            let w = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * word + $1]) << (8 * $1) }
            return Int(w >> (4 * UInt32(index)) & 0xF)
        }
        if c.name.hasPrefix("llama-awq") {
            // [cols, rows / 8] words, rows 8j + (0, 2, 4, 6, 1, 3, 5, 7) in nibbles 0...7; [groups, rows] F16 scales
            let layer = "model.layers.1.mlp.down_proj"
            let q = Array(try checkpoint.data(forTensorNamed: layer + ".qweight")), z = Array(try checkpoint.data(forTensorNamed: layer + ".qzeros"))
            let scales = try checkpoint.toFloat(named: layer + ".scales")
            let rows = down.rows, nibbleOf = [0, 4, 1, 5, 2, 6, 3, 7]
            for i in 0..<cols {
                let code = nibble(q, word: i * rows / 8 + r / 8, index: nibbleOf[r % 8])
                let zero = nibble(z, word: (i / 64) * rows / 8 + r / 8, index: nibbleOf[r % 8])
                expected[i] = Float(code - zero) * scales[(i / 64) * rows + r]
            }
            var row = [Float](repeating: .nan, count: cols)
            row.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(down, row: r, into: $0.baseAddress!) }
            #expect(row == expected)
            return
        }
        if c.name.hasPrefix("llama-gptq") {
            // [cols / per, rows] words, column c in bits (c % per) * bits; [groups, rows / per] zeros
            // stored minus one (v1); [groups, rows] F16 scales; g_idx the column's group
            let layer = "model.layers.1.mlp.down_proj", bits = c.type == .i8_b32 ? 8 : 4, per = 32 / bits
            let q = Array(try checkpoint.data(forTensorNamed: layer + ".qweight")), z = Array(try checkpoint.data(forTensorNamed: layer + ".qzeros"))
            let scales = try checkpoint.toFloat(named: layer + ".scales"), groupOf = Array(try checkpoint.data(forTensorNamed: layer + ".g_idx"))
            let rows = down.rows
            func field(_ bytes: [UInt8], word: Int, index: Int) -> Int {
                let w = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[4 * word + $1]) << (8 * $1) }
                return Int(w >> (UInt32(bits) * UInt32(index)) & UInt32((1 << bits) - 1))
            }
            for i in 0..<cols {
                let g = Int(groupOf[4 * i]) | Int(groupOf[4 * i + 1]) << 8
                let code = field(q, word: (i / per) * rows + r, index: i % per)
                let zero = field(z, word: g * rows / per + r / per, index: r % per) + 1
                expected[i] = Float(code - zero) * scales[g * rows + r]
            }
            // activation order: the row is stored with its columns sorted by group
            #expect((down.columnOrder != nil) == c.name.hasSuffix("actorder"))
            if let order = down.columnOrder { expected = order.indices.map { expected[Int($0)] } }
            var row = [Float](repeating: .nan, count: cols)
            row.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(down, row: r, into: $0.baseAddress!) }
            #expect(row == expected)
            return
        }
        let tiles = c.name == "llama-fp8-blocks"  // one scale per [128, 128] tile, else per channel or tensor
        let scales = try checkpoint.toFloat(named: base + (tiles ? "_scale_inv" : "_scale"))
        switch c.type {
        case .f8_e4m3_b32, .i8_b32:
            let codes = try checkpoint.data(forTensorNamed: base)
            for i in 0..<cols {
                let code = codes[r * cols + i]
                let scale = tiles ? scales[(r / 128) * (cols / 128) + i / 128] : scales.count == 1 ? scales[0] : scales[r]
                expected[i] = (c.type == .i8_b32 ? Float(Int8(bitPattern: code)) : Kernels.fp8Value(code, .fp8E4M3)) * scale
            }
        default:  // 4-bit values offset by 8, eight to an I32 from the low bits; groups of 128 columns
            let words = try checkpoint.data(forTensorNamed: base + "_packed")
            let zeros = checkpoint.tensor(named: base + "_zero_point") == nil ? nil : try checkpoint.data(forTensorNamed: base + "_zero_point")
            let groups = cols / 128
            for i in 0..<cols {
                let q = nibble(Array(words), word: r * cols / 8 + i / 8, index: i % 8)
                let z = zeros.map { nibble(Array($0), word: (r / 8) * groups + i / 128, index: r % 8) } ?? 8
                expected[i] = Float(q - z) * scales[r * groups + i / 128]
            }
        }
        var row = [Float](repeating: .nan, count: cols)
        row.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(down, row: r, into: $0.baseAddress!) }
        #expect(row == expected)
    }

    /// The checkpoint with one change written to a temporary directory.
    static func edited(_ label: String, from name: String = "llama-fp8-dynamic", dropping dropped: String? = nil,
                       rewriting rewritten: String? = nil, config edit: (String) -> String = { $0 },
                       bytes rewrite: (inout [UInt8]) -> Void = { _ in }) throws -> URL {
        let source = try fixture(name)
        let dir = try makeTemporaryDirectory(label)
        let text = try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
        try edit(text).write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let checkpoint = try SafeTensorsCheckpoint(directory: source)
        var writer = SafeTensorsWriter()
        for name in checkpoint.tensorNames where name != dropped {
            guard let (_, info) = checkpoint.tensor(named: name) else { continue }
            var bytes = Array(try checkpoint.data(forTensorNamed: name))
            if name == rewritten { rewrite(&bytes) }
            try writer.add(name: name, dtype: info.dtype, shape: info.shape, bytes: bytes)
        }
        try writer.write(to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    /// The scheme named by a refusal, or nil when `dir` loaded or failed otherwise.
    static func refusal(_ dir: URL) -> String? {
        do {
            _ = try load(dir)
        } catch let ModelLoadingError.unsupportedQuantization(_, scheme) {
            return scheme
        } catch {
            Issue.record("\(error)")
        }
        return nil
    }

    @Test func missingTensorsAndOtherSchemesAreRefusedByName() throws {
        let noScale = try Self.edited("fp8-no-scale", dropping: "model.layers.0.self_attn.k_proj.weight_scale")
        defer { try? FileManager.default.removeItem(at: noScale) }
        #expect(throws: ModelLoadingError.missingTensor(file: noScale.path, tensor: "model.layers.0.self_attn.k_proj.weight_scale")) {
            try Self.load(noScale)
        }
        let noZero = try Self.edited("w4-no-zero", from: "llama-w4a16-asym", dropping: "model.layers.1.mlp.up_proj.weight_zero_point")
        defer { try? FileManager.default.removeItem(at: noZero) }
        // without its zero points the packed matrix would be read as symmetric: refused instead
        #expect(throws: ModelLoadingError.missingTensor(file: noZero.path, tensor: "model.layers.1.mlp.up_proj.weight_zero_point")) {
            try Self.load(noZero)
        }
        let mismatched = try Self.edited("fp8-as-int") { $0.replacingOccurrences(of: "\"float-quantized\"", with: "\"int-quantized\"") }
        defer { try? FileManager.default.removeItem(at: mismatched) }
        #expect(Self.refusal(mismatched)?.hasSuffix("not read: group 'group_0': weights other than symmetric INT8") == true)
        let noTileScale = try Self.edited("fp8-blocks-no-scale", from: "llama-fp8-blocks", dropping: "model.layers.1.mlp.up_proj.weight_scale_inv")
        defer { try? FileManager.default.removeItem(at: noTileScale) }
        #expect(throws: ModelLoadingError.missingTensor(file: noTileScale.path, tensor: "model.layers.1.mlp.up_proj.weight_scale_inv")) {
            try Self.load(noTileScale)
        }
        let badTiles = try Self.edited("fp8-blocks-3d", from: "llama-fp8-blocks") {
            $0.replacingOccurrences(of: "\"weight_block_size\": [", with: "\"weight_block_size\": [100, ")
        }
        defer { try? FileManager.default.removeItem(at: badTiles) }
        #expect(Self.refusal(badTiles)?.hasSuffix("not read: weight_block_size [100, 128, 128] (read: two sizes, the column one a multiple of 32)") == true)
        // activation order whose groups are not all groupSize columns: refused naming the tensor
        let unevenName = "model.layers.0.mlp.down_proj.g_idx"
        let uneven = try Self.edited("gptq-uneven-groups", from: "llama-gptq-4bit-g32-actorder", rewriting: unevenName,
                                     bytes: { $0[0] = ($0[0] + 1) % 8 })  // column 0 moves to the next group
        defer { try? FileManager.default.removeItem(at: uneven) }
        #expect(throws: ModelLoadingError.unsupportedTensor(file: uneven.path, tensor: unevenName, reason: "groups that do not each hold 32 columns")) {
            try Self.load(uneven)
        }
        let noVScale = try Self.edited("fp8-kv-no-v-scale", from: "llama-fp8-kv", dropping: "model.layers.1.self_attn.v_scale")
        defer { try? FileManager.default.removeItem(at: noVScale) }
        #expect(throws: ModelLoadingError.missingTensor(file: noVScale.path, tensor: "model.layers.1.self_attn.v_scale")) {
            try Self.load(noVScale)
        }
        let naive = try Self.edited("naive") { $0.replacingOccurrences(of: "\"float-quantized\"", with: "\"naive-quantized\"") }
        defer { try? FileManager.default.removeItem(at: naive) }
        #expect(Self.refusal(naive)?.hasSuffix("not read: format 'naive-quantized' (read: float-quantized, int-quantized, pack-quantized)") == true)
    }
}
