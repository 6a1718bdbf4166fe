import ArgumentParser
import Swiftlet

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a model's architecture, hyperparameters, tensors, tokenizer and chat template.")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (default: the model `make serve` fetches).")
    var model: String = ModelLoadOptions.defaultModel

    func run() throws {
        try reportingErrors {
            let files = try ModelFiles.open(model)
            let summary: String
            do {
                let tokenizer = try files.loadTokenizer()
                summary = tokenizer.summary
            } catch {
                summary = "not loadable: \(error)"
            }
            print(ModelReport(files: files, tokenizerSummary: summary).text)
        }
    }
}

extension Tokenizer {
    /// One line: kind, vocabulary size and special ids.
    var summary: String {
        let kind = model == .gpt2 ? "byte-level BPE" : "SentencePiece-style BPE (byte fallback)"
        func token(_ id: Int?) -> String {
            guard let id else { return "none" }
            return "\(id) \(tokenText(id).map { "\"\($0)\"" } ?? "")"
        }
        return "\(kind), \(vocabSize) tokens, bos \(token(bosTokenID)), eos \(token(eosTokenID)), adds bos \(addsBOS)"
    }
}
