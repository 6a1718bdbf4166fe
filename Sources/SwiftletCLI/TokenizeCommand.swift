import ArgumentParser
import Foundation
import Swiftlet
import SwiftletJSON

/// `swiftlet tokenize --json`.
struct TokenizeJSON: Encodable {
    var ids: [Int]
    var tokens: [String]
}

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids and tokens of a text.")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (default: the model `make serve` fetches).")
    var model: String = ModelLoadOptions.defaultModel

    @Flag(name: .long, help: "Parse special-token strings in TEXT (such as <|im_start|>) as special tokens.")
    var special = false

    @Flag(name: .long, help: "Print one JSON object with \"ids\" and \"tokens\".")
    var json = false

    @Flag(name: .long, inversion: .prefixedNo, help: "Add the model's BOS/EOS tokens as its tokenizer does.")
    var addSpecialTokens = true

    @Argument(help: "The text to tokenize.")
    var text: String

    func run() throws {
        try reportingErrors {
            let tokenizer = try ModelFiles.open(model).loadTokenizer()
            let ids = tokenizer.encode(text, addSpecialTokens: addSpecialTokens, parseSpecial: special)
            let tokens = ids.map { tokenizer.tokenText($0) ?? "" }
            if json {
                print(String(decoding: try CompactJSONEncoder().encode(TokenizeJSON(ids: ids, tokens: tokens)), as: UTF8.self))
            } else {
                for (id, token) in zip(ids, tokens) {
                    print("\(String(id).padding(toLength: 8, withPad: " ", startingAt: 0)) \(token.debugDescription)")
                }
                print("\(ids.count) tokens")
            }
        }
    }
}
