/// A text tokenizer: byte-level BPE (GPT-2 family) or SentencePiece-style BPE with byte fallback.
///
/// Build it from a `TokenizerVocabulary` (GGUF metadata) or from a tokenizer.json file
/// (`Tokenizer(tokenizerJSON:config:)`). Immutable and thread-safe.
public final class Tokenizer: Sendable {
    /// The tokenization algorithm.
    public let model: TokenizerVocabulary.ModelKind
    /// Beginning-of-sequence token id.
    public let bosTokenID: Int?
    /// End-of-sequence token id.
    public let eosTokenID: Int?
    /// Unknown token id.
    public let unknownTokenID: Int?
    /// Padding token id.
    public let paddingTokenID: Int?
    /// Whether `encode(addSpecialTokens: true)` prepends BOS.
    public let addsBOS: Bool
    /// Whether `encode(addSpecialTokens: true)` appends EOS.
    public let addsEOS: Bool

    let tokens: [String]
    let textTable: ByteSequenceTable
    let decodedArena: [UInt8]
    let decodedStarts: [Int]
    let specialFlags: [Bool]
    let byteSymbolIDs: [Int32]
    let merges: RankedMerges
    let scored: ScoredMerges?
    let preTokenizer: PreTokenizerKind
    let ignoreMerges: Bool
    /// Byte-level BPE: the id for bytes missing from the alphabet (tokenizer.json `unk_token`); nil drops them.
    let byteLevelUnknownTokenID: Int32?
    let spacePrefix: SpacePrefix
    let splitsOnSpaceMarker: Bool
    let stripsLeadingSpace: Bool
    let normalizesNFC: Bool
    let plainSplitter: SpecialTokenSplitter
    let fullSplitter: SpecialTokenSplitter

    /// Builds a tokenizer from GGUF-shaped vocabulary arrays.
    public convenience init(vocabulary: TokenizerVocabulary) throws(TokenizerError) {
        try self.init(spec: TokenizerSpec(vocabulary: vocabulary))
    }

    init(spec: TokenizerSpec) throws(TokenizerError) {
        let vocabulary = spec.vocabulary
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
        model = vocabulary.model
        tokens = vocabulary.tokens
        bosTokenID = vocabulary.bosTokenID
        eosTokenID = vocabulary.eosTokenID
        unknownTokenID = vocabulary.unknownTokenID
        paddingTokenID = vocabulary.paddingTokenID
        addsBOS = vocabulary.addBOS && vocabulary.bosTokenID != nil
        addsEOS = vocabulary.addEOS && vocabulary.eosTokenID != nil
        ignoreMerges = spec.ignoreMerges
        byteLevelUnknownTokenID = spec.byteLevelUsesUnknown ? vocabulary.unknownTokenID.map { Int32($0) } : nil
        spacePrefix = vocabulary.model == .llama ? spec.spacePrefix : .none
        splitsOnSpaceMarker = spec.splitsOnSpaceMarker
        stripsLeadingSpace = vocabulary.model == .llama && spec.stripsLeadingSpace
        normalizesNFC = spec.normalizesNFC
        if let kind = spec.preTokenizerKind {
            preTokenizer = kind
        } else if vocabulary.model == .gpt2 {
            preTokenizer = try PreTokenizerKind(ggufName: vocabulary.preTokenizer)
        } else {
            preTokenizer = .gpt2
        }

        var numTextBytes = 0
        for text in vocabulary.tokens { numTextBytes += text.utf8.count }
        guard numTextBytes < Int(Int32.max) else { throw .invalidVocabulary("token texts total \(numTextBytes) bytes") }
        var table = ByteSequenceTable(capacity: count)
        for (id, text) in vocabulary.tokens.enumerated() { table.insert(text.utf8, value: Int32(id)) }
        textTable = table

        var special = [Bool](repeating: false, count: count)
        var addedIDs = Set<Int>()
        for added in spec.addedTokens where added.id >= 0 && added.id < count {
            if added.special { special[added.id] = true }
            addedIDs.insert(added.id)
        }
        if let types = vocabulary.tokenTypes {
            for (id, type) in types.enumerated() where type == TokenType.unknown.rawValue { special[id] = true }
        }
        specialFlags = special

        let tables = Self.buildDecodeTables(vocabulary: vocabulary, addedIDs: addedIDs)
        decodedArena = tables.arena
        decodedStarts = tables.starts
        byteSymbolIDs = tables.byteSymbols

        merges = try Self.buildMerges(vocabulary.merges ?? [], table: table)
        if vocabulary.model == .llama && vocabulary.merges == nil {
            scored = ScoredMerges(
                tokens: table, scores: vocabulary.scores ?? [Float](repeating: 0, count: count),
                byteTokenIDs: tables.byteSymbols, unknownTokenID: Int32(vocabulary.unknownTokenID ?? 0))
        } else {
            scored = nil
        }

        let added = spec.addedTokens.filter { $0.id >= 0 && $0.id < count }
        let entries = added.map {
            SpecialTokenSplitter.Entry(text: $0.content, id: Int32($0.id), lstrip: $0.lstrip, rstrip: $0.rstrip)
        }
        fullSplitter = SpecialTokenSplitter(entries: entries)
        plainSplitter = SpecialTokenSplitter(
            entries: zip(added, entries).filter { !$0.0.special }.map { $0.1 })
    }

    /// Number of token ids.
    public var vocabSize: Int { tokens.count }

    /// The vocabulary text of a token id, or nil when out of range.
    public func tokenText(_ id: Int) -> String? {
        id >= 0 && id < tokens.count ? tokens[id] : nil
    }

    /// The id of a token given its exact vocabulary text, or nil.
    public func id(forToken text: String) -> Int? {
        textTable.lookup(text).map { Int($0) }
    }

    /// The bytes token `id` stands for in text (what decoding it alone appends), or nil for a
    /// special token or an id outside the vocabulary: what a constrained-output matcher walks.
    public func tokenBytes(_ id: Int) -> [UInt8]? {
        guard id >= 0, id < tokens.count, !isSpecialToken(id) else { return nil }
        var bytes: [UInt8] = []
        try? appendBytes(of: id, skipSpecialTokens: false, to: &bytes)
        return bytes
    }

    /// Whether an id is a special (control) token, dropped by `decode(skipSpecialTokens: true)`.
    public func isSpecialToken(_ id: Int) -> Bool {
        id >= 0 && id < specialFlags.count && specialFlags[id]
    }

    private static func buildMerges(_ lines: [String], table: ByteSequenceTable) throws(TokenizerError) -> RankedMerges {
        var merges = RankedMerges()
        merges.reserve(lines.count)
        var joined: [UInt8] = []
        for (rank, line) in lines.enumerated() {
            var copy = line
            // 0: ok, 1: no space, 2: unknown token.
            let status = copy.withUTF8 { all -> Int in
                guard let space = all.firstIndex(of: 0x20) else { return 1 }
                let left = UnsafeBufferPointer(rebasing: all[..<space])
                let right = UnsafeBufferPointer(rebasing: all[(space + 1)...])
                joined.removeAll(keepingCapacity: true)
                joined.append(contentsOf: left)
                joined.append(contentsOf: right)
                guard let leftID = table.lookup(left), let rightID = table.lookup(right),
                      let mergedID = joined.withUnsafeBufferPointer({ table.lookup($0) })
                else { return 2 }
                merges.append(left: leftID, right: rightID, merged: mergedID, rank: rank)
                return 0
            }
            if status == 1 { throw .invalidVocabulary("merge \(rank) '\(line)' is not two tokens separated by a space") }
            if status == 2 { throw .invalidVocabulary("merge \(rank) '\(line)' names a token missing from the vocabulary") }
        }
        return merges
    }
}
