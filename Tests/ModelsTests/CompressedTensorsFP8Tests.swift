import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// A compressed-tensors FP8 checkpoint as llm-compressor writes it (FP8_DYNAMIC: F8_E4M3 weights,
/// per-channel F32 `weight_scale`; Fixtures/compressed/llama-fp8-dynamic, made with the reference
/// from transformers by scripts/reference/make_compressed_fp8.py) loads into `f8_e4m3_b32`
/// matrices and gives transformers' logits.
@Suite struct CompressedTensorsFP8Tests {
    static func fixture() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("compressed").appendingPathComponent("llama-fp8-dynamic")
    }

    static func load(_ dir: URL) throws -> ModelWeights {
        let config = try ModelConfig(contentsOf: dir.appendingPathComponent("config.json"))
        return try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config)
    }

    @Test func matchesTransformersOnTheSameCheckpoint() throws {
        let dir = try Self.fixture()
        let weights = try Self.load(dir)
        guard case .compressedTensors(let c)? = weights.config.quantization else { Issue.record("no quantization"); return }
        #expect(c.format == "float-quantized" && c.ignore == ["lm_head"])
        let layer = weights.layers[1]
        for w in [layer.q, layer.k, layer.v, layer.o] + [layer.gate, layer.up, layer.down].compactMap({ $0 }) {
            #expect(w.type == .f8_e4m3_b32 && w.rowByteCount == w.cols / 32 * 36)
        }
        #expect(weights.output.type == .f32 && weights.tokenEmbedding.type == .f32)  // lm_head ignored, embeddings not Linear
        // the repacked rows hold code * channel scale, as compressed-tensors decompresses them
        let checkpoint = try SafeTensorsCheckpoint(directory: dir)
        let codes = try checkpoint.data(forTensorNamed: "model.layers.1.mlp.down_proj.weight")
        let scales = try checkpoint.toFloat(named: "model.layers.1.mlp.down_proj.weight_scale")
        var row = [Float](repeating: 0, count: 128)
        let down = try #require(layer.down)
        row.withUnsafeMutableBufferPointer { Kernels.dequantizeRowReference(down, row: 5, into: $0.baseAddress!) }
        #expect((0..<128).allSatisfy { row[$0] == Kernels.fp8Value(codes[5 * 128 + $0], .fp8E4M3) * scales[5] })

        let fixture = try ReferenceFixture.load("llama-fp8-dynamic-transformers.json")
        let model = try LlamaModel(weights: weights, pool: WorkerPool(numThreads: 2), maxNumBatchedTokens: 64,
                                   maxNumLogitsRows: 64, maxNumSeqs: 4)
        let cache = try KVCacheStorage(config: weights.config, numBlocks: 32, blockSize: 16, dtype: .float32)
        let comparison = ReferenceComparison(model: model, cache: cache, blockSize: 16)
        let agreement = try comparison.agreement(fixture.sequences)
        print("compressed-tensors FP8 vs transformers: \(agreement.numPositions) positions, top-1 \(agreement.top1Rate), mean |Δ| \(agreement.meanAbsDelta), max \(agreement.maxAbsDelta)")
        #expect(agreement.numPositions == 144)
        #expect(agreement.top1Rate >= 0.995)
        #expect(agreement.meanAbsDelta <= 1e-4)
        #expect(try comparison.greedyMatches(fixture, numSteps: 32, label: "FP8") == 2)
    }

    /// The checkpoint with one change written to a temporary directory.
    static func edited(_ label: String, dropping dropped: String? = nil, config edit: (String) -> String = { $0 }) throws -> URL {
        let source = try fixture()
        let dir = try makeTemporaryDirectory(label)
        let text = try String(contentsOf: source.appendingPathComponent("config.json"), encoding: .utf8)
        try edit(text).write(to: dir.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let checkpoint = try SafeTensorsCheckpoint(directory: source)
        var writer = SafeTensorsWriter()
        for name in checkpoint.tensorNames where name != dropped {
            guard let (_, info) = checkpoint.tensor(named: name) else { continue }
            try writer.add(name: name, dtype: info.dtype, shape: info.shape, bytes: Array(try checkpoint.data(forTensorNamed: name)))
        }
        try writer.write(to: dir.appendingPathComponent("model.safetensors"))
        return dir
    }

    @Test func aMissingScaleOrAnotherSchemeIsRefusedByName() throws {
        let noScale = try Self.edited("fp8-no-scale", dropping: "model.layers.0.self_attn.k_proj.weight_scale")
        defer { try? FileManager.default.removeItem(at: noScale) }
        #expect(throws: ModelLoadingError.missingTensor(file: noScale.path, tensor: "model.layers.0.self_attn.k_proj.weight_scale")) {
            try Self.load(noScale)
        }
        let int8 = try Self.edited("fp8-as-int") { $0.replacingOccurrences(of: "\"float-quantized\"", with: "\"int-quantized\"") }
        defer { try? FileManager.default.removeItem(at: int8) }
        do {
            _ = try Self.load(int8)
            Issue.record("an int-quantized checkpoint loaded")
        } catch let error as ModelLoadingError {
            guard case .unsupportedQuantization(_, let scheme) = error else { Issue.record("\(error)"); return }
            #expect(scheme.hasPrefix("compressed-tensors int-quantized") && scheme.hasSuffix("only FP8 weights are read so far, not format 'int-quantized'"))
        }
    }
}
