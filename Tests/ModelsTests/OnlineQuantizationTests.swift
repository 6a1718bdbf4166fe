import Foundation
import Kernels
import ModelFormats
@testable import Models
import Testing

/// `--quantization fp8` / `int8`: the unquantized random Llama (Fixtures/compressed/llama-base-64)
/// quantized at load gives, byte for byte, the matrices llm-compressor wrote for the same model
/// (llama-fp8-dynamic: FP8_DYNAMIC; llama-w8a8-int8: W8A8), and runs with the same activations.
@Suite struct OnlineQuantizationTests {
    static func load(_ name: String, _ online: OnlineQuantization? = nil) throws -> ModelWeights {
        let dir = try QuantizedCheckpointTests.fixture(name)
        let config = try ModelConfig(contentsOf: dir.appendingPathComponent("config.json"))
        return try ModelWeights(safetensors: SafeTensorsCheckpoint(directory: dir), config: config, quantization: online)
    }

    @Test(arguments: [(OnlineQuantization.fp8, "llama-fp8-dynamic"), (.int8, "llama-w8a8-int8")])
    func matchesLLMCompressorsCheckpoint(_ method: OnlineQuantization, _ reference: String) throws {
        let online = try Self.load("llama-base-64", method)
        let stored = try Self.load(reference)
        #expect(online.onlineQuantization == method && online.activationQuantization == stored.activationQuantization)
        let ours = online.layers.flatMap(\.projections), theirs = stored.layers.flatMap(\.projections)
        #expect(ours.count == 14 && ours.count == theirs.count)
        for (a, b) in zip(ours, theirs) {
            #expect(a.type == b.type && a.rows == b.rows && a.cols == b.cols)
            let bytes = a.rows * a.rowByteCount
            #expect(memcmp(a.data, b.data, bytes) == 0)
        }
        #expect(online.output.type == .f32 && online.tokenEmbedding.type == .f32)
    }

    @Test func aQuantizedCheckpointIsRefused() throws {
        do {
            _ = try Self.load("llama-fp8-dynamic", .int8)
            Issue.record("a quantized checkpoint was quantized again")
        } catch let ModelLoadingError.invalidConfig(_, reason) {
            #expect(reason.hasPrefix("--quantization int8 applies to unquantized checkpoints; this one is quantized already (compressed-tensors float-quantized"))
        }
    }
}
