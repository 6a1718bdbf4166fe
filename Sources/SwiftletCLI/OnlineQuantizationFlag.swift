import ArgumentParser
import Swiftlet

extension OnlineQuantization {
    static let flagHelp = "Quantize an unquantized Hugging Face checkpoint's projections at load: fp8 (E4M3 weights per output channel, FP8 inputs per token) or int8 (INT8 weights per output channel, INT8 inputs per token)."

    /// `--quantization`: nil when absent; a method this engine has, or a message listing them.
    static func parsing(flag: String?) throws -> OnlineQuantization? {
        guard let flag else { return nil }
        guard let method = OnlineQuantization(rawValue: flag.lowercased()) else {
            throw ValidationError("--quantization must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got '\(flag)'")
        }
        return method
    }
}
