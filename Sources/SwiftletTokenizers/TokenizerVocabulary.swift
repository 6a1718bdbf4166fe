/// A tokenizer's vocabulary and settings as plain arrays, in the shape of GGUF `tokenizer.ggml.*` metadata.
///
/// The engine fills this from a model file; `Tokenizer(vocabulary:)` builds a tokenizer from it.
public struct TokenizerVocabulary: Sendable, Equatable {
    /// The tokenization algorithm (GGUF `tokenizer.ggml.model`).
    public enum ModelKind: String, Sendable, Equatable {
        /// Byte-level BPE with merges by rank (GPT-2, Llama 3, Qwen2, SmolLM).
        case gpt2
        /// SentencePiece-style BPE with merges by score and byte fallback (Llama 2, Mistral, Gemma).
        case llama
    }

    /// The tokenization algorithm.
    public var model: ModelKind
    /// Pre-tokenizer name (GGUF `tokenizer.ggml.pre`): "default", "gpt-2", "smollm", "llama-bpe", "qwen2"...
    public var preTokenizer: String
    /// Token texts, indexed by token id.
    public var tokens: [String]
    /// Token scores (SentencePiece-style merges use them), indexed by token id.
    public var scores: [Float]?
    /// Token types (GGUF `token_type`, see `TokenType`), indexed by token id.
    public var tokenTypes: [Int32]?
    /// Byte-level BPE merges as "left right" strings, in rank order.
    public var merges: [String]?
    /// Beginning-of-sequence token id.
    public var bosTokenID: Int?
    /// End-of-sequence token id.
    public var eosTokenID: Int?
    /// Unknown token id.
    public var unknownTokenID: Int?
    /// Padding token id.
    public var paddingTokenID: Int?
    /// Whether `encode(addSpecialTokens: true)` prepends the BOS token.
    public var addBOS: Bool
    /// Whether `encode(addSpecialTokens: true)` appends the EOS token.
    public var addEOS: Bool
    /// SentencePiece-style only: prefix text with a space before encoding, strip it when decoding.
    public var addSpacePrefix: Bool

    /// Creates a vocabulary from GGUF-shaped arrays and flags.
    public init(
        model: ModelKind, preTokenizer: String = "default", tokens: [String],
        scores: [Float]? = nil, tokenTypes: [Int32]? = nil, merges: [String]? = nil,
        bosTokenID: Int? = nil, eosTokenID: Int? = nil, unknownTokenID: Int? = nil, paddingTokenID: Int? = nil,
        addBOS: Bool = false, addEOS: Bool = false, addSpacePrefix: Bool = false
    ) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.scores = scores
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosTokenID = bosTokenID
        self.eosTokenID = eosTokenID
        self.unknownTokenID = unknownTokenID
        self.paddingTokenID = paddingTokenID
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.addSpacePrefix = addSpacePrefix
    }
}

/// GGUF token types (`tokenizer.ggml.token_type`), the same numbering as SentencePiece piece types.
public enum TokenType: Int32, Sendable {
    /// An ordinary vocabulary piece.
    case normal = 1
    /// The unknown token; special (dropped by `skipSpecialTokens`).
    case unknown = 2
    /// A control token such as BOS/EOS or a chat marker; matched in text only with `parseSpecial`.
    case control = 3
    /// A user-defined piece; always matched in raw text before merging.
    case userDefined = 4
    /// A reserved, unused piece.
    case unused = 5
    /// A byte-fallback token "<0xXX>".
    case byte = 6
}
