/// A hash table from byte strings to token ids that looks up borrowed bytes without allocating.
/// Open addressing with linear probing over a power-of-two slot array; keys live in one flat arena.
struct ByteSequenceTable: Sendable {
    private var arena: [UInt8] = []
    private var keyStarts: [Int] = []
    private var keyValues: [Int32] = []
    private var slots: [Int32]
    private var mask: Int

    /// Creates an empty table sized for about `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        keyStarts.append(0)
    }

    /// Number of keys.
    var count: Int { keyValues.count }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }

    /// Inserts a key; an existing key keeps its first value (the lowest id wins, as in HF vocabularies).
    mutating func insert(_ key: some Collection<UInt8>, value: Int32) {
        let bytes = Array(key)
        if bytes.withUnsafeBufferPointer({ lookup($0) }) != nil { return }
        if (keyValues.count + 1) * 2 > slots.count { grow() }
        let entry = Int32(keyValues.count)
        arena.append(contentsOf: bytes)
        keyStarts.append(arena.count)
        keyValues.append(value)
        let hash = bytes.withUnsafeBufferPointer { Self.hash($0) }
        place(entry: entry, hash: hash)
    }

    private mutating func place(entry: Int32, hash: Int) {
        var slot = hash & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for entry in 0..<keyValues.count {
            let hash = arena.withUnsafeBufferPointer { all in
                Self.hash(UnsafeBufferPointer(rebasing: all[keyStarts[entry]..<keyStarts[entry + 1]]))
            }
            place(entry: Int32(entry), hash: hash)
        }
    }

    /// The value stored for `key`, or nil.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Int32? {
        var slot = Self.hash(key) & mask
        return arena.withUnsafeBufferPointer { all -> Int32? in
            while true {
                let entry = Int(slots[slot])
                if entry < 0 { return nil }
                let start = keyStarts[entry], end = keyStarts[entry + 1]
                if end - start == key.count {
                    var equal = true
                    var index = 0
                    while index < key.count {
                        if all[start + index] != key[index] {
                            equal = false
                            break
                        }
                        index += 1
                    }
                    if equal { return keyValues[entry] }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// The value stored for the bytes of `text`, or nil.
    func lookup(_ text: String) -> Int32? {
        var copy = text
        return copy.withUTF8 { lookup($0) }
    }
}
