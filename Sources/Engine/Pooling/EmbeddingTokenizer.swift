import SwiftletTokenizers

/// What an embedding engine needs from a tokenizer: a text's ids without special tokens and the
/// special ids around them ([CLS] ... [SEP] for BERT; BOS / EOS as a decoder's tokenizer adds them).
public protocol EmbeddingTokenizer {
    /// The text's ids, no special tokens added.
    func contentIDs(_ text: String) -> [Int]
    /// Ids put before and after the content when special tokens are added.
    var prefixIDs: [Int] { get }
    var suffixIDs: [Int] { get }
    /// The padding token, if the tokenizer has one (vLLM counts it between a scored pair's inputs).
    var paddingID: Int? { get }
}

extension WordPieceTokenizer: EmbeddingTokenizer {
    public func contentIDs(_ text: String) -> [Int] { encode(text, addSpecialTokens: false) }
}

extension Tokenizer: EmbeddingTokenizer {
    public func contentIDs(_ text: String) -> [Int] { encode(text, addSpecialTokens: false) }
    public var prefixIDs: [Int] { addsBOS ? bosTokenID.map { [$0] } ?? [] : [] }
    public var suffixIDs: [Int] { addsEOS ? eosTokenID.map { [$0] } ?? [] : [] }
    public var paddingID: Int? { paddingTokenID }
}
