import SwiftletTokenizers

extension SamplingParams {
    /// These params with `badWordsTokenIDs` extended by each of `badWords` encoded as vLLM does:
    /// the word without leading whitespace, and again with one leading space when that gives a
    /// different first token and the same number of tokens (a word in the middle of text).
    public func resolvingBadWords(encode: (String) throws -> [Int]) rethrows -> SamplingParams {
        var params = self
        for word in badWords {
            let bare = String(word.drop { $0.isWhitespace })
            let plain = try encode(bare)
            if !plain.isEmpty { params.badWordsTokenIDs.append(plain) }
            let spaced = try encode(" " + bare)
            if let first = spaced.first, first != plain.first, spaced.count == plain.count {
                params.badWordsTokenIDs.append(spaced)
            }
        }
        return params
    }

    /// `resolvingBadWords(encode:)` with `tokenizer`, without special tokens.
    public func resolvingBadWords(tokenizer: Tokenizer) -> SamplingParams {
        resolvingBadWords { tokenizer.encode($0, addSpecialTokens: false) }
    }
}
