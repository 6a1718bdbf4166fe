/// What the matcher knows of a model's vocabulary: each token's bytes (nil for special tokens,
/// which constrained text never contains) and the end-of-sequence ids, allowed where the grammar
/// may end. Built once per model and shared by every request.
public final class TokenVocabulary: Sendable {
    public let vocabSize: Int
    public let eosTokenIDs: [Int]
    let trie: TokenTrie
    /// The tokens of plain string text, which many lexer states read all (nil: none found).
    let slice: TokenSlice?
    /// The masks of single lexemes, shared by every grammar over this vocabulary.
    let sharedMasks: SharedLexemeMasks
    /// [vocabSize] each token's bytes (nil: never inside constrained text).
    private let bytes: [[UInt8]?]

    /// `maxSharedMasks`: how many masks of single lexemes are kept before that cache starts over.
    public init(tokenBytes: [[UInt8]?], eosTokenIDs: [Int], maxSharedMasks: Int = 16_384) {
        sharedMasks = SharedLexemeMasks(maxEntries: maxSharedMasks)
        vocabSize = tokenBytes.count
        self.eosTokenIDs = eosTokenIDs.filter { $0 >= 0 && $0 < tokenBytes.count }
        var bytes = tokenBytes
        for id in self.eosTokenIDs { bytes[id] = nil }
        trie = TokenTrie(tokens: bytes)
        slice = TokenSlice(trie: trie, tokenBytes: bytes, wordCount: (tokenBytes.count + 31) / 32)
        self.bytes = bytes
    }

    /// The bytes of token `id`, or nil for a special token.
    func tokenBytes(_ id: Int) -> [UInt8]? { bytes[id] }

    /// Words of a token bitmask for this vocabulary (32 tokens a word, bit `id % 32` of word `id / 32`).
    public var bitmaskWordCount: Int { (vocabSize + 31) / 32 }
}
