import Foundation

/// Writes a `TokenizerVocabulary` (GGUF-shaped arrays) as Hugging Face tokenizer files: a `tokenizer.json`
/// that `Tokenizer(tokenizerJSONData:)` and HF `tokenizers` load into a tokenizer giving the same ids as
/// `Tokenizer(vocabulary:)`, and a matching `tokenizer_config.json`.
///
/// Byte-level BPE (`gpt2`) gets the pipeline HF's own files use for its pre-tokenizer family (GPT-2, SmolLM,
/// Llama 3, Qwen2): ByteLevel with Digits or a Split regex, `ignore_merges` for Llama 3. SentencePiece-style
/// BPE (`llama`) gets a BPE model with byte fallback whose merges are derived from the scores
/// (`ScoreOrderedMerges`), a Replace (and Prepend, with `addSpacePrefix`) normalizer and the
/// Replace/ByteFallback/Fuse(/Strip) decoder. Control tokens (type 3) and the unknown token (type 2) become
/// special added tokens, user-defined ones (type 4) plain added tokens; all match the raw text.
/// Output is compact JSON with a fixed member order, so equal vocabularies give equal bytes.
public struct TokenizerJSONWriter: Sendable {
    /// The vocabulary being written.
    public let vocabulary: TokenizerVocabulary
    private let preTokenizerKind: PreTokenizerKind?
    private let merges: [ScoreOrderedMerges.Pair]
    private let byteAlphabetComplete: Bool

    /// Checks the vocabulary (array lengths, special ids, pre-tokenizer name, merges) and prepares the merges.
    public init(vocabulary: TokenizerVocabulary) throws(TokenizerError) {
        let count = vocabulary.tokens.count
        guard count > 0, count < Int(Int32.max) else { throw .invalidVocabulary("token count \(count) is out of range") }
        if let scores = vocabulary.scores, scores.count != count {
            throw .invalidVocabulary("\(scores.count) scores for \(count) tokens")
        }
        if let types = vocabulary.tokenTypes, types.count != count {
            throw .invalidVocabulary("\(types.count) token types for \(count) tokens")
        }
        for (name, id) in [("bos", vocabulary.bosTokenID), ("eos", vocabulary.eosTokenID),
                           ("unknown", vocabulary.unknownTokenID), ("padding", vocabulary.paddingTokenID)] {
            if let id, id < 0 || id >= count { throw .invalidVocabulary("\(name) token id \(id) is outside 0..<\(count)") }
        }
        var table = ByteSequenceTable(capacity: count)
        for (id, text) in vocabulary.tokens.enumerated() { table.insert(text.utf8, value: Int32(id)) }

        self.vocabulary = vocabulary
        if vocabulary.model == .gpt2 {
            preTokenizerKind = try PreTokenizerKind(ggufName: vocabulary.preTokenizer)
            byteAlphabetComplete = (0..<256).allSatisfy {
                table.lookup(ByteLevelAlphabet.tokenText(ofBytes: [UInt8($0)])) != nil
            }
        } else {
            preTokenizerKind = nil
            byteAlphabetComplete = true
        }
        if let lines = vocabulary.merges {
            merges = try Self.parseMerges(lines, table: table)
        } else if vocabulary.model == .llama {
            merges = ScoreOrderedMerges.derive(
                tokens: vocabulary.tokens, scores: vocabulary.scores ?? [Float](repeating: 0, count: count), table: table)
        } else {
            merges = []
        }
    }

    /// The bytes of `tokenizer.json`.
    public func tokenizerJSON() -> Data {
        var textBytes = 0
        for text in vocabulary.tokens { textBytes += text.utf8.count }
        var out = JSONOutput(reservingCapacity: textBytes * 2 + vocabulary.tokens.count * 12 + merges.count * 24 + 4096)
        out.raw(#"{"version":"1.0","truncation":null,"padding":null,"added_tokens":"#)
        out.value(addedTokens)
        out.raw(#","normalizer":"#)
        out.value(normalizer)
        out.raw(#","pre_tokenizer":"#)
        out.value(preTokenizer)
        out.raw(#","post_processor":"#)
        out.value(postProcessor)
        out.raw(#","decoder":"#)
        out.value(decoder)
        out.raw(#","model":{"type":"BPE","dropout":null,"unk_token":"#)
        let unknown = vocabulary.model == .llama ? vocabulary.unknownTokenID.map { vocabulary.tokens[$0] } : nil
        out.value(unknown.map { .string($0) } ?? .null)
        // fuse_unk stays false: the vocabulary's tokenizer (and llama.cpp) emit one unk per unknown byte.
        out.raw(#","continuing_subword_prefix":null,"end_of_word_suffix":null,"fuse_unk":false,"byte_fallback":"#)
        out.value(.bool(vocabulary.model == .llama))
        out.raw(#","ignore_merges":"#)
        out.value(.bool(preTokenizerKind == .llama3))
        out.raw(#","vocab":{"#)
        for (id, text) in vocabulary.tokens.enumerated() {
            if id > 0 { out.raw(",") }
            out.key(text)
            out.int(id)
        }
        out.raw(#"},"merges":["#)
        for (index, pair) in merges.enumerated() {
            out.raw(index > 0 ? #",["# : "[")
            out.string(vocabulary.tokens[Int(pair.left)])
            out.raw(",")
            out.string(vocabulary.tokens[Int(pair.right)])
            out.raw("]")
        }
        out.raw("]}}\n")
        return Data(out.bytes)
    }

    /// The bytes of `tokenizer_config.json` (keys sorted, as transformers writes them): the special tokens,
    /// `add_bos_token`/`add_eos_token`, and optionally the chat template and `model_max_length`.
    public func tokenizerConfigJSON(chatTemplate: String? = nil, modelMaxLength: Int? = nil) -> Data {
        func token(_ id: Int?) -> JSONOutput.Value? { id.map { .string(vocabulary.tokens[$0]) } }
        // A byte-level tokenizer.json loader gives bytes missing from the alphabet to unk_token; name it
        // only when no byte is missing, so that loading the pair encodes exactly as the vocabulary does.
        let unknown = byteAlphabetComplete ? token(vocabulary.unknownTokenID) : nil
        let members: [(String, JSONOutput.Value?)] = [
            ("add_bos_token", .bool(vocabulary.addBOS)),
            ("add_eos_token", .bool(vocabulary.addEOS)),
            ("bos_token", token(vocabulary.bosTokenID)),
            ("chat_template", chatTemplate.map { .string($0) }),
            ("clean_up_tokenization_spaces", .bool(false)),
            ("eos_token", token(vocabulary.eosTokenID)),
            ("model_max_length", modelMaxLength.map { .int($0) }),
            ("pad_token", token(vocabulary.paddingTokenID)),
            ("tokenizer_class", .string("PreTrainedTokenizerFast")),
            ("unk_token", unknown),
        ]
        var out = JSONOutput()
        out.value(.object(members.compactMap { name, value in value.map { (name, $0) } }))
        out.raw("\n")
        return Data(out.bytes)
    }

    // MARK: - Pipeline parts

    private var addedTokens: JSONOutput.Value {
        guard let types = vocabulary.tokenTypes else { return .array([]) }
        var entries: [JSONOutput.Value] = []
        for (id, type) in types.enumerated() {
            let special: Bool
            switch TokenType(rawValue: type) {
            case .control?, .unknown?: special = true
            case .userDefined?: special = false
            default: continue
            }
            entries.append(.object([
                ("id", .int(id)), ("content", .string(vocabulary.tokens[id])), ("single_word", .bool(false)),
                ("lstrip", .bool(false)), ("rstrip", .bool(false)), ("normalized", .bool(false)),
                ("special", .bool(special)),
            ]))
        }
        return .array(entries)
    }

    private static let spaceMarker = "\u{2581}"

    private var normalizer: JSONOutput.Value {
        guard vocabulary.model == .llama else { return .null }
        let replace = JSONOutput.Value.object([
            ("type", .string("Replace")), ("pattern", .object([("String", .string(" "))])),
            ("content", .string(Self.spaceMarker)),
        ])
        guard vocabulary.addSpacePrefix else { return replace }
        let prepend = JSONOutput.Value.object([("type", .string("Prepend")), ("prepend", .string(Self.spaceMarker))])
        return .object([("type", .string("Sequence")), ("normalizers", .array([prepend, replace]))])
    }

    private static func byteLevel(useRegex: Bool, trimOffsets: Bool = true, addPrefixSpace: Bool = false) -> JSONOutput.Value {
        .object([
            ("type", .string("ByteLevel")), ("add_prefix_space", .bool(addPrefixSpace)),
            ("trim_offsets", .bool(trimOffsets)), ("use_regex", .bool(useRegex)),
        ])
    }

    private var preTokenizer: JSONOutput.Value {
        func sequence(_ steps: [JSONOutput.Value]) -> JSONOutput.Value {
            .object([("type", .string("Sequence")), ("pretokenizers", .array(steps))])
        }
        func split(_ pattern: String) -> JSONOutput.Value {
            .object([
                ("type", .string("Split")), ("pattern", .object([("Regex", .string(pattern))])),
                ("behavior", .string("Isolated")), ("invert", .bool(false)),
            ])
        }
        switch preTokenizerKind {
        case nil: return .null
        case .gpt2?: return Self.byteLevel(useRegex: true)
        case .smollm?:
            let digits = JSONOutput.Value.object([("type", .string("Digits")), ("individual_digits", .bool(true))])
            return sequence([digits, Self.byteLevel(useRegex: true)])
        case .llama3?: return sequence([split(PreTokenizerKind.llama3Pattern), Self.byteLevel(useRegex: false)])
        case .qwen2?: return sequence([split(PreTokenizerKind.qwen2Pattern), Self.byteLevel(useRegex: false)])
        }
    }

    /// TemplateProcessing with BOS before and EOS after each sequence, as the vocabulary's flags ask.
    private var postProcessor: JSONOutput.Value {
        let byteLevelStep = Self.byteLevel(useRegex: true, trimOffsets: false, addPrefixSpace: true)
        let bos = vocabulary.addBOS ? vocabulary.bosTokenID : nil
        let eos = vocabulary.addEOS ? vocabulary.eosTokenID : nil
        guard bos != nil || eos != nil else { return vocabulary.model == .gpt2 ? byteLevelStep : .null }
        func special(_ id: Int, typeID: Int) -> JSONOutput.Value {
            .object([("SpecialToken", .object([("id", .string(vocabulary.tokens[id])), ("type_id", .int(typeID))]))])
        }
        func sequence(_ name: String, typeID: Int) -> [JSONOutput.Value] {
            var pieces: [JSONOutput.Value] = []
            if let bos { pieces.append(special(bos, typeID: typeID)) }
            pieces.append(.object([("Sequence", .object([("id", .string(name)), ("type_id", .int(typeID))]))]))
            if let eos { pieces.append(special(eos, typeID: typeID)) }
            return pieces
        }
        var specialTokens: [(String, JSONOutput.Value)] = []
        for id in Set([bos, eos].compactMap { $0 }).sorted(by: { vocabulary.tokens[$0].utf8.lexicographicallyPrecedes(vocabulary.tokens[$1].utf8) }) {
            let text = vocabulary.tokens[id]
            specialTokens.append((text, .object([
                ("id", .string(text)), ("ids", .array([.int(id)])), ("tokens", .array([.string(text)])),
            ])))
        }
        let template = JSONOutput.Value.object([
            ("type", .string("TemplateProcessing")),
            ("single", .array(sequence("A", typeID: 0))),
            ("pair", .array(sequence("A", typeID: 0) + sequence("B", typeID: 1))),
            ("special_tokens", .object(specialTokens)),
        ])
        guard vocabulary.model == .gpt2 else { return template }
        return .object([("type", .string("Sequence")), ("processors", .array([byteLevelStep, template]))])
    }

    private var decoder: JSONOutput.Value {
        guard vocabulary.model == .llama else { return Self.byteLevel(useRegex: true, addPrefixSpace: true) }
        var steps: [JSONOutput.Value] = [
            .object([
                ("type", .string("Replace")), ("pattern", .object([("String", .string(Self.spaceMarker))])),
                ("content", .string(" ")),
            ]),
            .object([("type", .string("ByteFallback"))]),
            .object([("type", .string("Fuse"))]),
        ]
        if vocabulary.addSpacePrefix {
            steps.append(.object([("type", .string("Strip")), ("content", .string(" ")), ("start", .int(1)), ("stop", .int(0))]))
        }
        return .object([("type", .string("Sequence")), ("decoders", .array(steps))])
    }

    /// GGUF merges ("left right", split at the first space) as token id pairs; every part and the merged
    /// token must be in the vocabulary, as both tokenizer.json loaders require.
    private static func parseMerges(_ lines: [String], table: ByteSequenceTable) throws(TokenizerError) -> [ScoreOrderedMerges.Pair] {
        var pairs: [ScoreOrderedMerges.Pair] = []
        pairs.reserveCapacity(lines.count)
        var joined: [UInt8] = []
        for (rank, line) in lines.enumerated() {
            var copy = line
            var pair = ScoreOrderedMerges.Pair(left: -1, right: -1)
            let hasSpace = copy.withUTF8 { all -> Bool in
                guard let space = all.firstIndex(of: 0x20) else { return false }
                let left = UnsafeBufferPointer(rebasing: all[..<space])
                let right = UnsafeBufferPointer(rebasing: all[(space + 1)...])
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: left)
                joined.append(contentsOf: right)
                if let leftID = table.lookup(left), let rightID = table.lookup(right),
                   joined.withUnsafeBufferPointer({ table.lookup($0) }) != nil {
                    pair = ScoreOrderedMerges.Pair(left: leftID, right: rightID)
                }
                return true
            }
            guard hasSpace else { throw .invalidVocabulary("merge \(rank) '\(line)' is not two tokens separated by a space") }
            guard pair.left >= 0 else { throw .invalidVocabulary("merge \(rank) '\(line)' names a token missing from the vocabulary") }
            pairs.append(pair)
        }
        return pairs
    }
}
