extension Tokenizer {
    /// Decodes token ids to text. Invalid UTF-8 (e.g. a lone byte token) becomes U+FFFD.
    /// - Parameters:
    ///   - skipSpecialTokens: drop special (control) tokens such as BOS/EOS.
    ///   - spacesBetweenSpecialTokens: when special tokens are kept, join them to their neighbours
    ///     (other special tokens and runs of ordinary text) with one space, as Hugging Face's slow
    ///     tokenizers and vLLM's slow detokenizer do (`"a<|im_end|><|im_start|>b"` becomes
    ///     `"a <|im_end|> <|im_start|> b"`). Only control tokens count as special here; user-defined
    ///     added tokens (such as Gemma's newline runs) stay ordinary text.
    /// - Throws: `TokenizerError.invalidTokenID` for an id outside the vocabulary.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false,
                       spacesBetweenSpecialTokens: Bool = false) throws(TokenizerError) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        var last = DecodeSegment.none
        for id in ids {
            try appendBytes(of: id, skipSpecialTokens: skipSpecialTokens,
                            spacesBetweenSpecialTokens: spacesBetweenSpecialTokens, last: &last, to: &bytes)
        }
        var start = 0
        if stripsLeadingSpace, bytes.first == 0x20 { start = 1 }
        return String(decoding: bytes[start...], as: UTF8.self)
    }

    /// Appends the bytes a token decodes to.
    func appendBytes(of id: Int, skipSpecialTokens: Bool, to bytes: inout [UInt8]) throws(TokenizerError) {
        var last = DecodeSegment.none
        try appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, spacesBetweenSpecialTokens: false,
                        last: &last, to: &bytes)
    }

    /// Appends the bytes a token decodes to, with a separating space first when
    /// `spacesBetweenSpecialTokens` asks for one; `last` tracks what was appended before.
    func appendBytes(of id: Int, skipSpecialTokens: Bool, spacesBetweenSpecialTokens: Bool,
                     last: inout DecodeSegment, to bytes: inout [UInt8]) throws(TokenizerError) {
        guard id >= 0 && id < tokens.count else { throw .invalidTokenID(id) }
        let special = specialFlags[id]
        if skipSpecialTokens && special { return }
        let range = decodedStarts[id]..<decodedStarts[id + 1]
        if spacesBetweenSpecialTokens {
            if special {
                if last != .none { bytes.append(0x20) }
                last = .special
            } else if !range.isEmpty {
                if last == .special { bytes.append(0x20) }
                last = .text
            }
        }
        bytes.append(contentsOf: decodedArena[range])
    }

    /// Per-token decoded bytes in one arena, plus the id of each single-byte symbol.
    static func buildDecodeTables(vocabulary: TokenizerVocabulary, addedIDs: Set<Int>)
        -> (arena: [UInt8], starts: [Int], byteSymbols: [Int32])
    {
        var arena: [UInt8] = []
        var starts: [Int] = [0]
        var byteSymbols = [Int32](repeating: -1, count: 256)
        arena.reserveCapacity(vocabulary.tokens.count * 8)
        starts.reserveCapacity(vocabulary.tokens.count + 1)
        let types = vocabulary.tokenTypes
        for (id, text) in vocabulary.tokens.enumerated() {
            switch vocabulary.model {
            case .gpt2:
                if let bytes = ByteLevelAlphabet.bytes(ofTokenText: text) {
                    arena.append(contentsOf: bytes)
                    if bytes.count == 1 && !addedIDs.contains(id) && byteSymbols[Int(bytes[0])] < 0 {
                        byteSymbols[Int(bytes[0])] = Int32(id)
                    }
                } else {
                    arena.append(contentsOf: text.utf8)
                }
            case .llama:
                let type = types.map { $0[id] }
                if type == nil || type == TokenType.byte.rawValue, let byte = byteTokenValue(text) {
                    arena.append(byte)
                    if byteSymbols[Int(byte)] < 0 { byteSymbols[Int(byte)] = Int32(id) }
                } else {
                    appendUnescaped(text, to: &arena)
                }
            }
            starts.append(arena.count)
        }
        return (arena, starts, byteSymbols)
    }

    /// The byte of a "<0xXX>" token text.
    private static func byteTokenValue(_ text: String) -> UInt8? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 6, utf8[0] == 0x3C, utf8[1] == 0x30, utf8[2] == 0x78, utf8[5] == 0x3E else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }

    /// Appends UTF-8 of `text` with "▁" (U+2581) turned back into spaces.
    private static func appendUnescaped(_ text: String, to arena: inout [UInt8]) {
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if index + 2 < utf8.count && utf8[index] == 0xE2 && utf8[index + 1] == 0x96 && utf8[index + 2] == 0x81 {
                arena.append(0x20)
                index += 3
            } else {
                arena.append(utf8[index])
                index += 1
            }
        }
    }
}

/// What a decoder appended last: nothing yet, ordinary text, or a special token.
enum DecodeSegment: Sendable {
    case none, text, special
}
