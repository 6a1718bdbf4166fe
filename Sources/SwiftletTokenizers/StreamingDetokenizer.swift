/// Incremental decoding for streaming generation: feed ids one at a time, get back only complete new text.
///
/// Never emits part of a UTF-8 character: bytes that may still complete a character are held back.
/// The concatenation of every `append` result and `finish()` equals `tokenizer.decode(allIDs)` exactly.
public struct StreamingDetokenizer: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    private let spacesBetweenSpecialTokens: Bool
    private var pending: [UInt8] = []
    private var atStart = true
    private var last = DecodeSegment.none

    /// Creates a detokenizer over `tokenizer`; `skipSpecialTokens` and `spacesBetweenSpecialTokens`
    /// as in `Tokenizer.decode`.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false, spacesBetweenSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
        self.spacesBetweenSpecialTokens = spacesBetweenSpecialTokens
    }

    /// Adds one token id and returns the text that is now complete (possibly empty).
    /// - Throws: `TokenizerError.invalidTokenID` for an id outside the vocabulary (state is unchanged).
    public mutating func append(_ id: Int) throws(TokenizerError) -> String {
        let before = pending.count
        var segment = last
        try tokenizer.appendBytes(of: id, skipSpecialTokens: skipSpecialTokens,
                                  spacesBetweenSpecialTokens: spacesBetweenSpecialTokens, last: &segment, to: &pending)
        last = segment
        if atStart && pending.count > before {
            atStart = false
            if tokenizer.stripsLeadingSpace && pending.first == 0x20 { pending.removeFirst() }
        }
        let cut = Self.completePrefixLength(pending)
        if cut == 0 { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Returns the held-back bytes (invalid UTF-8 becomes U+FFFD) and resets for a new sequence.
    public mutating func finish() -> String {
        let text = String(decoding: pending, as: UTF8.self)
        pending.removeAll()
        atStart = true
        last = .none
        return text
    }

    /// Length of the prefix of `bytes` that ends outside any possibly-incomplete UTF-8 sequence.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        var lead = count - 1
        // Find the last lead byte within the final 4 bytes.
        while lead >= 0 && lead >= count - 4 && bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0 && lead >= count - 4 else { return count }
        let first = bytes[lead]
        let needed: Int
        switch first {
        case 0xC2...0xDF: needed = 2
        case 0xE0...0xEF: needed = 3
        case 0xF0...0xF4: needed = 4
        default: return count
        }
        let have = count - lead
        if have >= needed { return count }
        // The held tail must still be a valid start of a sequence, or it is emitted as U+FFFD now.
        if have >= 2 {
            let second = bytes[lead + 1]
            let valid: Bool
            switch first {
            case 0xE0: valid = (0xA0...0xBF).contains(second)
            case 0xED: valid = (0x80...0x9F).contains(second)
            case 0xF0: valid = (0x90...0xBF).contains(second)
            case 0xF4: valid = (0x80...0x8F).contains(second)
            default: valid = (0x80...0xBF).contains(second)
            }
            if !valid { return count }
        }
        return lead
    }
}

extension Tokenizer {
    /// A streaming detokenizer over this tokenizer.
    public func makeStreamingDetokenizer(skipSpecialTokens: Bool = false,
                                         spacesBetweenSpecialTokens: Bool = false) -> StreamingDetokenizer {
        StreamingDetokenizer(tokenizer: self, skipSpecialTokens: skipSpecialTokens,
                             spacesBetweenSpecialTokens: spacesBetweenSpecialTokens)
    }
}
