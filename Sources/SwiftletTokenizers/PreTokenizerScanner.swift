/// Splits UTF-8 text into pre-tokenizer words with hand-written scanners that reproduce the
/// leftmost-first semantics of the GPT-2, Llama 3 and Qwen2 split patterns (see `PreTokenizerKind`).
struct PreTokenizerScanner {
    let kind: PreTokenizerKind
    private var scalars: [UInt32] = []
    private var classes: [UInt8] = []
    private var offsets: [Int] = []

    init(kind: PreTokenizerKind) {
        self.kind = kind
    }

    /// Appends the end byte offset (relative to `bytes`) of each word of `bytes` (valid UTF-8) to `ends`.
    mutating func split(_ bytes: UnsafeBufferPointer<UInt8>, into ends: inout [Int]) {
        decode(bytes)
        let count = scalars.count
        var start = 0
        while start < count {
            let end: Int
            switch kind {
            case .gpt2: end = matchGPT2(at: start, limit: count)
            case .llama3: end = matchLlama3(at: start, maxDigits: 3)
            case .qwen2: end = matchLlama3(at: start, maxDigits: 1)
            case .smollm:
                if classes[start] == ScalarClass.number {
                    end = start + 1
                } else {
                    var limit = start + 1
                    while limit < count && classes[limit] != ScalarClass.number { limit += 1 }
                    var position = start
                    while position < limit {
                        position = matchGPT2(at: position, limit: limit)
                        if position < limit { ends.append(offsets[position]) }
                    }
                    end = limit
                }
            }
            ends.append(offsets[end])
            start = end
        }
    }

    private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) {
        scalars.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = UInt32(bytes[index])
            var value = lead
            var length = 1
            if lead >= 0xF0 {
                length = 4
                value = lead & 0x07
            } else if lead >= 0xE0 {
                length = 3
                value = lead & 0x0F
            } else if lead >= 0xC0 {
                length = 2
                value = lead & 0x1F
            }
            if index + length > count { length = count - index }
            var next = index + 1
            while next < index + length {
                value = (value << 6) | (UInt32(bytes[next]) & 0x3F)
                next += 1
            }
            scalars.append(value)
            classes.append(ScalarClass.of(value))
            offsets.append(index)
            index += length
        }
        offsets.append(count)
    }

    private static let apostrophe = UInt32(UInt8(ascii: "'"))
    private static let space = UInt32(UInt8(ascii: " "))
    private static let carriageReturn = UInt32(UInt8(ascii: "\r"))
    private static let lineFeed = UInt32(UInt8(ascii: "\n"))

    /// Length of a contraction ('s 't 'm 'd 're 've 'll) at `index`, or 0.
    private func contraction(at index: Int, limit: Int, caseInsensitive: Bool) -> Int {
        guard scalars[index] == Self.apostrophe, index + 1 < limit else { return 0 }
        func letter(_ i: Int) -> UInt32 {
            let value = scalars[i]
            if caseInsensitive && value >= 65 && value <= 90 { return value + 32 }
            return value
        }
        switch letter(index + 1) {
        case 115, 116, 109, 100: return 2  // s t m d
        case 114, 118, 108:  // r v l
            guard index + 2 < limit else { return 0 }
            let first = letter(index + 1), second = letter(index + 2)
            if (first == 114 || first == 118) && second == 101 { return 3 }  // re ve
            if first == 108 && second == 108 { return 3 }  // ll
            return 0
        default: return 0
        }
    }

    /// End of a run of scalars of class `cls` starting at `index`.
    @inline(__always)
    private func run(of cls: UInt8, from index: Int, limit: Int) -> Int {
        var end = index
        while end < limit && classes[end] == cls { end += 1 }
        return end
    }

    /// `\s+(?!\S)|\s+` at a white-space scalar.
    private func matchSpaces(at index: Int, limit: Int) -> Int {
        let end = run(of: ScalarClass.whitespace, from: index, limit: limit)
        if end == limit || end - index < 2 { return end }
        return end - 1
    }

    private func matchGPT2(at index: Int, limit: Int) -> Int {
        let contractionLength = contraction(at: index, limit: limit, caseInsensitive: false)
        if contractionLength > 0 { return index + contractionLength }
        var start = index
        if scalars[index] == Self.space && index + 1 < limit && classes[index + 1] != ScalarClass.whitespace {
            start = index + 1
        }
        let cls = classes[start]
        if cls == ScalarClass.whitespace { return matchSpaces(at: index, limit: limit) }
        return run(of: cls, from: start, limit: limit)
    }

    private func matchLlama3(at index: Int, maxDigits: Int) -> Int {
        let limit = scalars.count
        let contractionLength = contraction(at: index, limit: limit, caseInsensitive: true)
        if contractionLength > 0 { return index + contractionLength }
        let cls = classes[index]
        let value = scalars[index]
        if cls == ScalarClass.letter { return run(of: cls, from: index, limit: limit) }
        if cls == ScalarClass.number {
            return min(run(of: cls, from: index, limit: limit), index + maxDigits)
        }
        let isNewline = value == Self.carriageReturn || value == Self.lineFeed
        if !isNewline && index + 1 < limit && classes[index + 1] == ScalarClass.letter {
            return run(of: ScalarClass.letter, from: index + 1, limit: limit)
        }
        var start = index
        if value == Self.space && index + 1 < limit && classes[index + 1] == 0 { start = index + 1 }
        if classes[start] == 0 {
            var end = run(of: 0, from: start, limit: limit)
            while end < limit && (scalars[end] == Self.carriageReturn || scalars[end] == Self.lineFeed) { end += 1 }
            return end
        }
        // White space: `\s*[\r\n]+` ends after the run's last newline; else `\s+(?!\S)|\s+`.
        let end = run(of: ScalarClass.whitespace, from: index, limit: limit)
        var last = end - 1
        while last >= index {
            if scalars[last] == Self.carriageReturn || scalars[last] == Self.lineFeed { return last + 1 }
            last -= 1
        }
        return matchSpaces(at: index, limit: limit)
    }
}
