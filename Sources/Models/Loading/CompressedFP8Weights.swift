#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Kernels
import ModelFormats

/// The FP8 E4M3 matrices of a compressed-tensors `float-quantized` checkpoint (llm-compressor's
/// FP8 and FP8_DYNAMIC schemes), each `X.weight` [rows, cols] with its F32 `X.weight_scale`
/// ([rows, 1] per channel, [1] or [] per tensor), repacked once at load into `f8_e4m3_b32`
/// blocks: the row's scale, then 32 codes. Owns the repacked bytes and keeps the checkpoint's
/// mapping alive for the tensors read in place.
final class CompressedFP8Weights: @unchecked Sendable {
    /// Which compressed-tensors schemes this reads: FP8 E4M3 weights, per channel or per tensor,
    /// with activations unquantized or quantized dynamically (run here on F32 activations, as
    /// transformers runs the decompressed checkpoint). Nil when `config` is one of them, else why not.
    static func unsupportedReason(_ config: CompressedTensorsConfig) -> String? {
        guard config.format == "float-quantized" else { return "format '\(config.format ?? "<none>")'" }
        for (name, group) in config.configGroups {
            guard let w = group.weights, w.type == "float", w.numBits == 8, w.symmetric,
                  w.strategy == "channel" || w.strategy == "tensor", !w.dynamic.isDynamic else {
                return "group '\(name)': weights other than static 8-bit float per channel or per tensor"
            }
            if let a = group.inputActivations, !(a.type == "float" && a.numBits == 8 && a.dynamic.isDynamic) {
                return "group '\(name)': static or non-FP8 input activations"
            }
            if group.outputActivations != nil { return "group '\(name)': quantized output activations" }
        }
        if config.kvCacheScheme != nil { return "kv_cache_scheme" }
        return nil
    }

    let checkpoint: SafeTensorsCheckpoint
    /// Repacked bytes by tensor name (the `.weight` name).
    private var blocks: [String: UnsafeMutableRawBufferPointer] = [:]

    /// Repacks every F8_E4M3 tensor of `checkpoint`; throws naming a tensor whose scale is
    /// missing or misshapen, or whose columns are not a multiple of 32.
    init(checkpoint: SafeTensorsCheckpoint) throws {
        self.checkpoint = checkpoint
        let path = checkpoint.directory.path
        for name in checkpoint.tensorNames {
            guard let (file, info) = checkpoint.tensor(named: name), info.dtype == .f8E4M3 else { continue }
            guard info.shape.count == 2, info.shape[1] % 32 == 0, info.shape[0] > 0 else {
                throw ModelLoadingError.unsupportedTensorType(file: path, tensor: name, type: "F8_E4M3 \(info.shape)",
                                                              supported: ["F8_E4M3 matrices with a multiple of 32 columns"])
            }
            let rows = info.shape[0], cols = info.shape[1]
            let scaleName = name + "_scale"
            guard let (scaleFile, scaleInfo) = checkpoint.tensor(named: scaleName) else {
                throw ModelLoadingError.missingTensor(file: path, tensor: scaleName)
            }
            guard [[rows, 1], [rows], [1], []].contains(scaleInfo.shape) else {
                throw ModelLoadingError.wrongShape(file: path, tensor: scaleName, expected: [rows, 1], found: scaleInfo.shape)
            }
            let scales: [Float]
            do {
                scales = try scaleFile.toFloat(scaleInfo)
            } catch {
                throw ModelLoadingError.unsupportedTensorType(file: path, tensor: scaleName, type: scaleInfo.dtype.rawValue,
                                                              supported: ["F32", "F16", "BF16"])
            }
            let codes: UnsafeRawBufferPointer
            do {
                codes = try file.data(for: info)
            } catch {
                throw ModelLoadingError.wrongDataSize(file: path, tensor: name, expectedBytes: rows * cols, foundBytes: -1)
            }
            guard codes.count == rows * cols, let source = codes.baseAddress else {
                throw ModelLoadingError.wrongDataSize(file: path, tensor: name, expectedBytes: rows * cols, foundBytes: codes.count)
            }
            let blocksPerRow = cols / 32
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: rows * blocksPerRow * 36, alignment: 64)
            for r in 0..<rows {
                var scale = scales.count == 1 ? scales[0] : scales[r]
                for b in 0..<blocksPerRow {
                    let block = buffer.baseAddress! + (r * blocksPerRow + b) * 36
                    withUnsafeBytes(of: &scale) { block.copyMemory(from: $0.baseAddress!, byteCount: 4) }
                    (block + 4).copyMemory(from: source + r * cols + b * 32, byteCount: 32)
                }
            }
            blocks[name] = buffer
        }
    }

    deinit {
        for buffer in blocks.values { buffer.deallocate() }
    }

    /// The repacked matrix stored under `name`, as the loader sees a tensor.
    func tensor(named name: String, shape: [Int]) -> FoundTensor? {
        guard let buffer = blocks[name] else { return nil }
        let path = checkpoint.directory.path
        return FoundTensor(name: name, shape: shape, typeName: "F8_E4M3", weightType: .f8_e4m3_b32,
                           data: UnsafeRawBufferPointer(buffer)) {
            throw ModelLoadingError.unsupportedTensorType(file: path, tensor: name, type: "F8_E4M3", supported: ["F32", "F16", "BF16"])
        }
    }
}
