import Foundation

extension Tokenizer {
    /// Encodes text to token ids.
    /// - Parameters:
    ///   - addSpecialTokens: add BOS/EOS as the vocabulary asks (GGUF add_bos/add_eos, tokenizer.json post-processor).
    ///   - parseSpecial: match special token strings (e.g. "<|im_start|>") in the text; otherwise they are plain text.
    public func encode(_ text: String, addSpecialTokens: Bool = true, parseSpecial: Bool = false) -> [Int] {
        var output: [Int32] = []
        output.reserveCapacity(text.utf8.count / 3 + 4)
        if addSpecialTokens, addsBOS, let bos = bosTokenID { output.append(Int32(bos)) }
        var copy = normalizesNFC ? text.precomposedStringWithCanonicalMapping : text
        copy.withUTF8 { bytes in
            let splitter = parseSpecial ? fullSplitter : plainSplitter
            let fragments = splitter.split(bytes)
            var state = EncodeState(kind: preTokenizer)
            var previousWasToken = true
            for fragment in fragments {
                switch fragment {
                case .token(let id):
                    output.append(id)
                    previousWasToken = true
                case .text(let range):
                    let slice = UnsafeBufferPointer(rebasing: bytes[range])
                    if model == .gpt2 {
                        encodeByteLevel(slice, into: &output, state: &state)
                    } else {
                        let prefix = prefixesSpace(slice, at: range.lowerBound, previousWasToken: previousWasToken)
                        encodeSentencePiece(slice, prefixSpace: prefix, into: &output)
                    }
                    previousWasToken = false
                }
            }
        }
        if addSpecialTokens, addsEOS, let eos = eosTokenID { output.append(Int32(eos)) }
        return output.map { Int($0) }
    }

    /// Scratch state reused across the words of one encode call.
    struct EncodeState {
        var scanner: PreTokenizerScanner
        var ends: [Int] = []
        var cache: [Int: (bytes: [UInt8], ids: [Int32])] = [:]
        static let maxCachedWords = 65_536
        static let maxCachedWordLength = 64

        init(kind: PreTokenizerKind) {
            scanner = PreTokenizerScanner(kind: kind)
        }
    }

    private func encodeByteLevel(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [Int32], state: inout EncodeState) {
        state.ends.removeAll(keepingCapacity: true)
        state.scanner.split(bytes, into: &state.ends)
        var start = 0
        for end in state.ends {
            let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
            start = end
            let cacheable = word.count <= EncodeState.maxCachedWordLength
            var hash = 0
            if cacheable {
                hash = ByteSequenceTable.hash(word)
                if let cached = state.cache[hash], cached.bytes.elementsEqual(word) {
                    output.append(contentsOf: cached.ids)
                    continue
                }
            }
            let first = output.count
            mergeWord(word, into: &output)
            if cacheable {
                if state.cache.count >= EncodeState.maxCachedWords { state.cache.removeAll(keepingCapacity: true) }
                state.cache[hash] = (Array(word), Array(output[first...]))
            }
        }
    }

    private func mergeWord(_ word: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        if ignoreMerges, let whole = rawByteTokenID(word) {
            output.append(whole)
            return
        }
        let first = output.count
        for byte in word {
            let id = byteSymbolIDs[Int(byte)]
            if id >= 0 {
                output.append(id)
            } else if let unknown = byteLevelUnknownTokenID {
                output.append(unknown)
            }
            // Otherwise the byte is dropped, as HF tokenizers (no unk_token) and llama.cpp do.
        }
        merges.apply(&output, from: first)
    }

    /// The id of the byte-level token spelling exactly these raw bytes.
    private func rawByteTokenID(_ word: UnsafeBufferPointer<UInt8>) -> Int32? {
        var text: [UInt8] = []
        text.reserveCapacity(word.count * 2)
        for byte in word {
            let scalar = ByteLevelAlphabet.scalarForByte[Int(byte)]
            if scalar < 128 {
                text.append(UInt8(scalar))
            } else {
                text.append(UInt8(0xC0 | (scalar >> 6)))
                text.append(UInt8(0x80 | (scalar & 0x3F)))
            }
        }
        return text.withUnsafeBufferPointer { textTable.lookup($0) }
    }

    /// Whether a text fragment gets a "▁" prefix.
    private func prefixesSpace(_ fragment: UnsafeBufferPointer<UInt8>, at offset: Int, previousWasToken: Bool) -> Bool {
        switch spacePrefix {
        case .none: return false
        case .always: return previousWasToken
        case .unlessSpace: return !startsWithSpace(fragment)
        case .firstUnlessSpace: return offset == 0 && !startsWithSpace(fragment)
        }
    }

    /// Whether text starts with " " or "▁".
    private func startsWithSpace(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        text.first == 0x20 || (text.count >= 3 && text[0] == 0xE2 && text[1] == 0x96 && text[2] == 0x81)
    }

    private func encodeSentencePiece(_ bytes: UnsafeBufferPointer<UInt8>, prefixSpace: Bool, into output: inout [Int32]) {
        var normalized: [UInt8] = []
        normalized.reserveCapacity(bytes.count + 8)
        if prefixSpace { normalized.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for byte in bytes {
            if byte == 0x20 {
                normalized.append(contentsOf: [0xE2, 0x96, 0x81])
            } else {
                normalized.append(byte)
            }
        }
        normalized.withUnsafeBufferPointer { text in
            if let scored {
                scored.encode(text, into: &output)
            } else if splitsOnSpaceMarker {
                // Words start at each "▁" (E2 96 81); each is merged on its own.
                var start = 0
                var index = 1
                while index + 2 < text.count {
                    if text[index] == 0xE2 && text[index + 1] == 0x96 && text[index + 2] == 0x81 {
                        encodeCharactersByRank(UnsafeBufferPointer(rebasing: text[start..<index]), into: &output)
                        start = index
                        index += 3
                    } else {
                        index += 1
                    }
                }
                if start < text.count {
                    encodeCharactersByRank(UnsafeBufferPointer(rebasing: text[start...]), into: &output)
                }
            } else {
                encodeCharactersByRank(text, into: &output)
            }
        }
    }

    /// tokenizer.json BPE with byte fallback: characters (or their byte tokens) merged by rank.
    private func encodeCharactersByRank(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        if ignoreMerges, let whole = textTable.lookup(text) {
            output.append(whole)
            return
        }
        let first = output.count
        var index = 0
        while index < text.count {
            let lead = text[index]
            let length = min(lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1, text.count - index)
            let character = UnsafeBufferPointer(rebasing: text[index..<(index + length)])
            if let id = textTable.lookup(character) {
                output.append(id)
            } else {
                for byte in character {
                    let id = byteSymbolIDs[Int(byte)]
                    if id >= 0 {
                        output.append(id)
                    } else if let unknown = unknownTokenID {
                        output.append(Int32(unknown))
                    }
                }
            }
            index += length
        }
        merges.apply(&output, from: first)
    }
}
