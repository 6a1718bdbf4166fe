import ArgumentParser
import Foundation
import Swiftlet

struct ExportHFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-hf",
        abstract: "Write a GGUF model as a Hugging Face directory: config.json, generation_config.json, model.safetensors (F32 or BF16, q/k rows in HF order), tokenizer.json, tokenizer_config.json.")

    @Option(name: .long, help: "The .gguf file to export.")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "The directory to write (created if missing).")
    var output: String

    @Option(name: .long, help: "Weight type of model.safetensors: f32 (exact dequantized values) or bf16 (rounded to nearest even).")
    var dtype: String = "f32"

    func run() throws {
        try reportingErrors {
            let type: GGUFToHF.DType
            switch dtype.lowercased() {
            case "f32", "float32": type = .f32
            case "bf16", "bfloat16": type = .bf16
            default: throw ValidationError("--dtype must be f32 or bf16, got '\(dtype)'")
            }
            let files = try ModelFiles.open(model)
            guard case .gguf(let file) = files.container else {
                throw ValidationError("\(model) is already a Hugging Face directory; export-hf reads .gguf files")
            }
            let directory = URL(fileURLWithPath: output, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let start = ContinuousClock.now
            let summary = try GGUFToHF.export(file, to: directory, dtype: type)
            let tokenizerFiles = try files.writeTokenizerFiles(to: directory)
            print("wrote \(directory.path) in \(String(format: "%.2f", (ContinuousClock.now - start).secondsValue)) s:")
            for name in summary.files + tokenizerFiles { print("  \(name)") }
            print("model.safetensors: \(summary.numTensors) tensors, \(summary.safetensorsByteCount) bytes (\(type.rawValue))")
        }
    }
}
