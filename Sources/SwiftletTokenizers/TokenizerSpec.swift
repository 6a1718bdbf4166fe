/// When SentencePiece-style encoding prefixes a text fragment with "▁".
enum SpacePrefix: Sendable, Equatable {
    case none
    /// Every fragment (the first, and each after a special token): GGUF add_space_prefix, HF Prepend normalizer.
    case always
    /// HF Metaspace "always": every fragment that does not already start with a space.
    case unlessSpace
    /// HF Metaspace "first": only a fragment at the start of the input that does not start with a space.
    case firstUnlessSpace
}

/// Everything needed to build a `Tokenizer`: a vocabulary plus tokenizer.json details GGUF lacks.
struct TokenizerSpec: Sendable {
    /// A token matched in raw text before pre-tokenization.
    struct AddedToken: Sendable {
        var id: Int
        var content: String
        /// Special tokens are matched only with `parseSpecial` and are dropped by `skipSpecialTokens`.
        var special: Bool
        var lstrip = false
        var rstrip = false
    }

    var vocabulary: TokenizerVocabulary
    var addedTokens: [AddedToken]
    /// Byte-level and rank-merged BPE: emit a word directly when it is one token (HF `ignore_merges`).
    var ignoreMerges = false
    var preTokenizerKind: PreTokenizerKind?
    /// SentencePiece-style: when text fragments get a "▁" prefix.
    var spacePrefix: SpacePrefix = .none
    /// SentencePiece-style: merge each "▁"-started word separately (HF Metaspace with split).
    var splitsOnSpaceMarker = false
    /// Decoding drops one leading space (HF Strip/Metaspace decoder; GGUF add_space_prefix).
    var stripsLeadingSpace = false
    /// Apply Unicode NFC before encoding (HF NFC normalizer).
    var normalizesNFC = false
    /// Byte-level BPE emits the unknown token for bytes missing from its alphabet (tokenizer.json with unk_token).
    var byteLevelUsesUnknown = false

    /// From GGUF-shaped arrays: control tokens (type 3) are special added tokens, user-defined (type 4) plain ones.
    init(vocabulary: TokenizerVocabulary) {
        self.vocabulary = vocabulary
        var added: [AddedToken] = []
        if let types = vocabulary.tokenTypes {
            for (id, type) in types.enumerated() where id < vocabulary.tokens.count {
                if type == TokenType.control.rawValue {
                    added.append(AddedToken(id: id, content: vocabulary.tokens[id], special: true))
                } else if type == TokenType.userDefined.rawValue {
                    added.append(AddedToken(id: id, content: vocabulary.tokens[id], special: false))
                }
            }
        }
        self.addedTokens = added
        // Llama 3 vocabularies emit a word that is one token as that token (llama.cpp sets
        // ignore_merges for the llama3 pre-tokenizer, as HF's Llama 3 tokenizer.json does).
        if vocabulary.model == .gpt2 && ["llama-bpe", "llama3", "llama-v3"].contains(vocabulary.preTokenizer) {
            ignoreMerges = true
        }
        if vocabulary.model == .llama && vocabulary.addSpacePrefix {
            spacePrefix = .always
            stripsLeadingSpace = true
        }
    }

    init(
        vocabulary: TokenizerVocabulary, addedTokens: [AddedToken], ignoreMerges: Bool,
        preTokenizerKind: PreTokenizerKind?, byteLevelUsesUnknown: Bool
    ) {
        self.vocabulary = vocabulary
        self.addedTokens = addedTokens
        self.ignoreMerges = ignoreMerges
        self.preTokenizerKind = preTokenizerKind
        self.byteLevelUsesUnknown = byteLevelUsesUnknown
    }
}
