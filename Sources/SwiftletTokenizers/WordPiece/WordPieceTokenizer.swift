import Foundation
import SwiftletJSON

/// A WordPiece tokenizer read from a Hugging Face tokenizer.json (the BERT family: `model.type`
/// WordPiece, a `BertNormalizer` (or none), `BertPreTokenizer`, and a `TemplateProcessing` or
/// `BertProcessing` post-processor that adds [CLS] ... [SEP]). Added tokens are matched in the raw
/// text first; each word left is split greedily into the longest vocabulary pieces, pieces after the
/// first carrying the continuing prefix ("##"); a word with no split, or longer than
/// `max_input_chars_per_word`, is the unknown token.
public struct WordPieceTokenizer: Sendable {
    /// Token text by id.
    public let tokens: [String]
    private let ids: [String: Int32]
    private let unknownID: Int32
    private let continuingPrefix: String
    private let maxInputCharsPerWord: Int
    private let normalizer: BertNormalizer?
    /// Whether a `BertPreTokenizer` splits words; without one the whole text is one word (as HF).
    private let splitsWords: Bool
    private let splitter: SpecialTokenSplitter
    private let specialIDs: Set<Int>
    /// Ids the post-processor puts before and after one sequence ([CLS] and [SEP] for BERT).
    public let prefixIDs: [Int]
    public let suffixIDs: [Int]
    /// The padding token: tokenizer.json's `padding.pad_id`, else "[PAD]" when the vocabulary has it.
    public let paddingID: Int?

    public var vocabularySize: Int { tokens.count }

    public init(contentsOf url: URL) throws(TokenizerError) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(json: data)
    }

    public init(json: Data) throws(TokenizerError) {
        let root = try TokenizerJSONLoader.object(TokenizerJSONLoader.parse(json, name: "tokenizer.json"), field: "(root)")
        let model = try TokenizerJSONLoader.object(root["model"], field: "model")
        let type = model["type"]?.stringValue ?? ""
        guard type == "WordPiece" else { throw .unsupported(field: "model.type", value: type) }
        guard let vocab = model["vocab"]?.objectValue, !vocab.isEmpty else {
            throw .malformedJSON(field: "model.vocab", reason: "expected an object of token -> id")
        }
        let added = try TokenizerJSONLoader.addedTokens(root["added_tokens"])
        var table: [String: Int32] = [:]
        table.reserveCapacity(vocab.count)
        var maxID = -1
        for (text, value) in vocab {
            guard let id = value.intValue, id >= 0, id < 10_000_000 else {
                throw .malformedJSON(field: "model.vocab[\(text)]", reason: "expected a token id in 0..<10000000")
            }
            table[text] = Int32(id)
            maxID = max(maxID, id)
        }
        for token in added {
            maxID = max(maxID, token.id)
        }
        var names = [String](repeating: "", count: maxID + 1)
        for (text, id) in table { names[Int(id)] = text }
        for token in added { names[token.id] = token.content }
        let unknown = model["unk_token"]?.stringValue ?? "[UNK]"
        guard let unknownID = table[unknown] ?? added.first(where: { $0.content == unknown }).map({ Int32($0.id) }) else {
            throw .malformedJSON(field: "model.unk_token", reason: "'\(unknown)' is not in the vocabulary")
        }
        tokens = names
        ids = table
        self.unknownID = unknownID
        continuingPrefix = model["continuing_subword_prefix"]?.stringValue ?? "##"
        maxInputCharsPerWord = model["max_input_chars_per_word"]?.intValue ?? 100
        normalizer = try Self.normalizer(root["normalizer"])
        if let pre = root["pre_tokenizer"], !pre.isNull {
            let kind = pre.objectValue?["type"]?.stringValue ?? ""
            guard kind == "BertPreTokenizer" else { throw .unsupported(field: "pre_tokenizer.type", value: kind) }
            splitsWords = true
        } else {
            splitsWords = false
        }
        splitter = SpecialTokenSplitter(entries: added.map {
            SpecialTokenSplitter.Entry(text: $0.content, id: Int32($0.id), lstrip: $0.lstrip, rstrip: $0.rstrip)
        })
        specialIDs = Set(added.filter(\.special).map(\.id))
        let lookup: (String) -> Int? = { name in
            table[name].map(Int.init) ?? added.first(where: { $0.content == name })?.id
        }
        (prefixIDs, suffixIDs) = try Self.postProcessor(root["post_processor"], lookup: lookup)
        paddingID = root["padding"]?.objectValue?["pad_id"]?.intValue.flatMap { $0 >= 0 && $0 < names.count ? $0 : nil }
            ?? lookup("[PAD]")
    }

    /// Token ids of `text`, with the post-processor's ids around them when `addSpecialTokens`.
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        var out: [Int] = addSpecialTokens ? prefixIDs : []
        var bytes = Array(text.utf8)
        let fragments = bytes.withUnsafeMutableBufferPointer { splitter.split(UnsafeBufferPointer($0)) }
        for fragment in fragments {
            switch fragment {
            case .token(let id):
                out.append(Int(id))
            case .text(let range):
                let piece = String(decoding: bytes[range], as: UTF8.self)
                let normalized = normalizer?.normalize(piece) ?? piece
                if splitsWords {
                    for word in BertPreTokenizer.words(normalized) { appendPieces(of: word, to: &out) }
                } else if !normalized.isEmpty {
                    appendPieces(of: normalized.unicodeScalars[...], to: &out)
                }
            }
        }
        bytes.removeAll()
        if addSpecialTokens { out += suffixIDs }
        return out
    }

    /// Text of `ids` as the WordPiece decoder writes it: pieces joined by spaces, continuing pieces
    /// glued to the one before, spaces before punctuation and contractions removed.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = true) throws(TokenizerError) -> String {
        var text = ""
        for id in ids {
            guard id >= 0, id < tokens.count else { throw .invalidTokenID(id) }
            if skipSpecialTokens && specialIDs.contains(id) { continue }
            let token = tokens[id]
            if token.hasPrefix(continuingPrefix) && !text.isEmpty {
                text += token.dropFirst(continuingPrefix.count)
            } else {
                if !text.isEmpty { text += " " }
                text += token
            }
        }
        for (spaced, tight) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                                (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
            text = text.replacingOccurrences(of: spaced, with: tight)
        }
        return text
    }

    private func appendPieces(of word: Substring.UnicodeScalarView, to out: inout [Int]) {
        let scalars = Array(word)
        guard scalars.count <= maxInputCharsPerWord else {
            out.append(Int(unknownID))
            return
        }
        let mark = out.count
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var candidate = start > 0 ? continuingPrefix : ""
                candidate.unicodeScalars.append(contentsOf: scalars[start..<end])
                if let id = ids[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                out.removeSubrange(mark...)
                out.append(Int(unknownID))
                return
            }
            out.append(Int(id))
            start = end
        }
    }
}
