/// How byte-level BPE splits text into words before merging (the GGUF `tokenizer.ggml.pre` families).
enum PreTokenizerKind: Sendable, Equatable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
    case gpt2
    /// Each number character alone, then GPT-2 on the rest (HF Digits(individual_digits) + ByteLevel).
    case smollm
    /// Llama 3: case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`, `\p{N}{1,3}`, newline-aware punctuation and spaces.
    case llama3
    /// Qwen2: Llama 3 with single number characters.
    case qwen2

    /// The kind for a GGUF `tokenizer.ggml.pre` name.
    init(ggufName name: String) throws(TokenizerError) {
        switch name {
        case "default", "gpt-2", "gpt2": self = .gpt2
        case "smollm": self = .smollm
        case "llama-bpe", "llama3", "llama-v3": self = .llama3
        case "qwen2": self = .qwen2
        default: throw .unsupported(field: "tokenizer.ggml.pre", value: name)
        }
    }

    /// The Split regex of HF tokenizer.json files for Llama 3 (Isolated, before a ByteLevel without regex).
    static let llama3Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    /// The Split regex of HF tokenizer.json files for Qwen2.
    static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
}
