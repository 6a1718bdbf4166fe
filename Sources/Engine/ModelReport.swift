import Foundation
import ModelFormats

/// What `swiftlet inspect` prints about a model source: format, config, tensors, parameter
/// count, file size, tokenizer and chat template. Built from `ModelFiles` alone (no weights read).
public struct ModelReport: Sendable {
    public struct TypeCount: Sendable, Equatable {
        public var typeName: String
        public var numTensors: Int
        public var numElements: Int
        public var byteCount: Int
    }

    public var path: String
    public var format: String
    public var architecture: String
    /// The config the engine would run, or why it cannot run this model.
    public var config: Result<ModelConfig, any Error>
    public var numTensors: Int
    public var numParameters: Int
    public var fileSize: Int
    /// Per stored type, sorted by bytes, largest first.
    public var typeCounts: [TypeCount]
    public var tokenizerSummary: String
    public var chatTemplate: String?

    public init(files: ModelFiles, tokenizerSummary: String) {
        path = files.path
        config = files.config
        fileSize = files.fileSize
        chatTemplate = files.chatTemplateSource
        self.tokenizerSummary = tokenizerSummary
        switch files.container {
        case .gguf(let file):
            format = "GGUF v\(file.version)"
            architecture = file.metadata["general.architecture"]?.stringValue ?? "(none)"
        case .safetensors(let checkpoint):
            format = "Hugging Face safetensors (\(checkpoint.files.count) file\(checkpoint.files.count == 1 ? "" : "s"))"
            architecture = (try? files.config.get().architecture.rawValue) ?? "(unknown)"
        }
        let tensors = files.tensorSummaries
        numTensors = tensors.count
        numParameters = tensors.reduce(0) { $0 + $1.numElements }
        var byType: [String: TypeCount] = [:]
        for tensor in tensors {
            var entry = byType[tensor.typeName] ?? TypeCount(typeName: tensor.typeName, numTensors: 0, numElements: 0, byteCount: 0)
            entry.numTensors += 1
            entry.numElements += tensor.numElements
            entry.byteCount += tensor.byteCount
            byType[tensor.typeName] = entry
        }
        typeCounts = byType.values.sorted { ($0.byteCount, $1.typeName) > ($1.byteCount, $0.typeName) }
    }

    /// The report as lines of text.
    public var text: String {
        var lines = [
            "model:        \(path)",
            "format:       \(format)",
            "architecture: \(architecture)",
            "file size:    \(Self.bytes(fileSize))",
            "parameters:   \(numParameters) (\(Self.compact(numParameters)))",
            "tensors:      \(numTensors)",
        ]
        for entry in typeCounts {
            lines.append("  \(entry.typeName.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(entry.numTensors).leftPad(4)) tensors  \(Self.compact(entry.numElements).leftPad(7)) params  \(Self.bytes(entry.byteCount))")
        }
        switch config {
        case .success(let c):
            lines.append("config:")
            lines.append("  layers \(c.numLayers), hidden \(c.hiddenSize), ffn \(c.intermediateSize), heads \(c.numHeads), kv heads \(c.numKVHeads), head dim \(c.headDim)")
            lines.append("  vocab \(c.vocabSize), context \(c.maxPositionEmbeddings), rms eps \(c.rmsNormEps), rope theta \(c.ropeTheta)\(c.ropeScaling.map { ", rope scaling \($0)" } ?? "")")
            lines.append("  tied embeddings \(c.tieWordEmbeddings), qkv bias \(c.qkvBias), qk norm \(c.qkNorm)\(c.slidingWindow.map { ", sliding window \($0)" } ?? "")")
            if let quantization = c.quantization { lines.append("  quantization \(quantization.summary)") }
            if let moe = c.moe {
                lines.append("  experts \(moe.numExperts), \(moe.numExpertsUsed) per token, expert ffn \(moe.expertIntermediateSize), renormalized \(moe.normalizeTopKProbabilities)\(moe.sharedExpertIntermediateSize.map { ", shared expert ffn \($0)" } ?? "")")
            }
        case .failure(let error):
            lines.append("config:       not runnable: \(error)")
        }
        lines.append("tokenizer:    \(tokenizerSummary)")
        if let template = chatTemplate {
            let firstLine = template.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
            lines.append("chat template: \(template.count) characters: \(firstLine.prefix(100))\(firstLine.count > 100 ? "…" : "")")
        } else {
            lines.append("chat template: none")
        }
        return lines.joined(separator: "\n")
    }

    /// 1234567 -> "1.23M".
    static func compact(_ n: Int) -> String {
        let value = Double(n)
        if value >= 1e9 { return String(format: "%.2fB", value / 1e9) }
        if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1fK", value / 1e3) }
        return "\(n)"
    }

    /// 98362432 -> "98362432 bytes (93.8 MiB)".
    static func bytes(_ n: Int) -> String {
        let mib = Double(n) / 1_048_576
        return mib >= 1 ? "\(n) bytes (\(String(format: "%.1f", mib)) MiB)" : "\(n) bytes"
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
