import Foundation
import Kernels
import ModelFormats

/// Exports a GGUF model as a Hugging Face directory: config.json, generation_config.json and
/// model.safetensors (weights dequantized to F32 or BF16, HF tensor names, q/k rows of llama
/// files un-permuted back to transformers' order). Only model files are written; the caller
/// adds tokenizer files to the same directory.
public enum GGUFToHF {
    /// The element type of the exported weights.
    public enum DType: String, Sendable {
        /// Exact dequantized values.
        case f32 = "F32"
        /// Dequantized values rounded to bfloat16 (round to nearest, ties to even).
        case bf16 = "BF16"

        var torchName: String { self == .f32 ? "float32" : "bfloat16" }
        var byteSize: Int { self == .f32 ? 4 : 2 }
    }

    /// What an export wrote.
    public struct Summary: Sendable, Equatable {
        public let directory: URL
        /// File names written, in order.
        public let files: [String]
        /// Size of model.safetensors in bytes.
        public let safetensorsByteCount: Int
        public let numTensors: Int
    }

    /// Loads and validates `file` (as `ModelWeights(gguf:)` does) and writes the HF model files
    /// into `directory` (created when missing).
    @discardableResult
    public static func export(_ file: GGUFFile, to directory: URL, dtype: DType) throws -> Summary {
        let weights = try ModelWeights(gguf: file)
        return try export(weights, to: directory, dtype: dtype)
    }

    /// Writes the HF model files of already loaded `weights`.
    @discardableResult
    public static func export(_ weights: ModelWeights, to directory: URL, dtype: DType) throws -> Summary {
        if let moe = weights.config.moe {
            throw GGUFToHFError.unsupportedModel(path: weights.path, reason: "its \(moe.numExperts)-expert mixture-of-experts layers have no Hugging Face export yet")
        }
        if weights.config.architecture == .phi3 {
            throw GGUFToHFError.unsupportedModel(path: weights.path, reason: "Phi-3's fused qkv_proj / gate_up_proj tensors have no Hugging Face export yet")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw GGUFToHFError.cannotWrite(path: directory.path, reason: "\(error)")
        }
        let tensors = HFExportTensor.all(weights)
        let entries = tensors.map {
            SafeTensorsStreamWriter.Entry(name: $0.name, dtype: dtype == .f32 ? .f32 : .bf16, shape: $0.shape,
                                          byteCount: $0.numElements * dtype.byteSize)
        }
        let url = directory.appendingPathComponent(SafeTensorsCheckpoint.singleFileName)
        let writer = try SafeTensorsStreamWriter(url: url, entries: entries, metadata: ["format": "pt"])
        let chunkFloats = 1 << 18
        let floats = UnsafeMutablePointer<Float>.allocate(capacity: chunkFloats)
        let halves = UnsafeMutablePointer<UInt16>.allocate(capacity: chunkFloats)
        defer {
            floats.deallocate()
            halves.deallocate()
        }
        for tensor in tensors {
            let rowLength = tensor.rowLength
            let rowsPerChunk = max(1, chunkFloats / rowLength)
            var row = 0
            while row < tensor.numRows {
                let numRows = min(rowsPerChunk, tensor.numRows - row)
                for i in 0..<numRows { tensor.readRow(row + i, floats + i * rowLength) }
                let count = numRows * rowLength
                switch dtype {
                case .f32:
                    try writer.append(UnsafeRawBufferPointer(start: floats, count: count * 4))
                case .bf16:
                    for i in 0..<count { halves[i] = bfloat16Bits(floats[i]).littleEndian }
                    try writer.append(UnsafeRawBufferPointer(start: halves, count: count * 2))
                }
                row += numRows
            }
        }
        try writer.finish()
        try write(HFConfigWriter.configJSON(weights.config, torchDType: dtype.torchName), to: directory, name: "config.json")
        try write(HFConfigWriter.generationConfigJSON(weights.config), to: directory, name: "generation_config.json")
        return Summary(directory: directory, files: [SafeTensorsCheckpoint.singleFileName, "config.json", "generation_config.json"],
                       safetensorsByteCount: writer.fileSize, numTensors: tensors.count)
    }

    /// The bfloat16 bits nearest to `value` (ties to even); NaN stays a quiet NaN.
    public static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return UInt16(rounded >> 16)
    }

    private static func write(_ text: String, to directory: URL, name: String) throws {
        let url = directory.appendingPathComponent(name)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }
}
