/// Finds added/special token strings in raw text (leftmost, then longest match) with a byte trie, and splits
/// the text into plain-text ranges and token ids. `lstrip`/`rstrip` tokens absorb adjacent ASCII white space.
struct SpecialTokenSplitter: Sendable {
    /// A piece of input: plain text (a byte range) or a matched token.
    enum Fragment: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    struct Entry: Sendable {
        var text: String
        var id: Int32
        var lstrip = false
        var rstrip = false
    }

    private var children: [UInt64: Int32] = [:]
    private var terminal: [Int32] = [-1]
    private var entryOfNode: [Int32] = [-1]
    private var entries: [Entry] = []
    private var isFirstByte = [Bool](repeating: false, count: 256)

    /// Whether no token strings are registered.
    var isEmpty: Bool { entries.isEmpty }

    init(entries newEntries: [Entry]) {
        for entry in newEntries where !entry.text.isEmpty {
            var node: Int32 = 0
            for byte in entry.text.utf8 {
                let key = UInt64(UInt32(node)) << 8 | UInt64(byte)
                if let child = children[key] {
                    node = child
                } else {
                    let child = Int32(terminal.count)
                    terminal.append(-1)
                    entryOfNode.append(-1)
                    children[key] = child
                    node = child
                }
            }
            if terminal[Int(node)] < 0 {
                terminal[Int(node)] = entry.id
                entryOfNode[Int(node)] = Int32(entries.count)
                entries.append(entry)
            }
            if let first = entry.text.utf8.first { isFirstByte[Int(first)] = true }
        }
    }

    @inline(__always)
    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Splits `bytes` into fragments; text fragments are never empty.
    func split(_ bytes: UnsafeBufferPointer<UInt8>) -> [Fragment] {
        if entries.isEmpty { return bytes.isEmpty ? [] : [.text(0..<bytes.count)] }
        var fragments: [Fragment] = []
        var textStart = 0
        var position = 0
        while position < bytes.count {
            guard isFirstByte[Int(bytes[position])] else {
                position += 1
                continue
            }
            var node: Int32 = 0
            var matchEnd = -1
            var matchNode: Int32 = -1
            var index = position
            while index < bytes.count, let child = children[UInt64(UInt32(node)) << 8 | UInt64(bytes[index])] {
                node = child
                index += 1
                if terminal[Int(node)] >= 0 {
                    matchEnd = index
                    matchNode = node
                }
            }
            guard matchEnd > 0 else {
                position += 1
                continue
            }
            let entry = entries[Int(entryOfNode[Int(matchNode)])]
            var textEnd = position
            if entry.lstrip {
                while textEnd > textStart && Self.isSpace(bytes[textEnd - 1]) { textEnd -= 1 }
            }
            if textEnd > textStart { fragments.append(.text(textStart..<textEnd)) }
            fragments.append(.token(entry.id))
            var after = matchEnd
            if entry.rstrip {
                while after < bytes.count && Self.isSpace(bytes[after]) { after += 1 }
            }
            textStart = after
            position = after
        }
        if textStart < bytes.count { fragments.append(.text(textStart..<bytes.count)) }
        return fragments
    }
}
