/// An open-addressing hash map from UInt64 keys to UInt64 values with a cheap multiplicative hash;
/// faster than Dictionary for the merge lookups of BPE's inner loop. `UInt64.max` is reserved as the empty key.
struct PairTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var shift: UInt64
    private(set) var count = 0
    private static let empty = UInt64.max

    init() {
        keys = [UInt64](repeating: Self.empty, count: 16)
        values = [UInt64](repeating: 0, count: 16)
        shift = 64 - 4
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Grows so that `count` keys fit at a load factor of at most 1/2.
    mutating func reserve(_ capacity: Int) {
        var size = keys.count
        var bits = 64 - shift
        while size < capacity * 2 {
            size <<= 1
            bits += 1
        }
        guard size > keys.count else { return }
        let oldKeys = keys, oldValues = values
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [UInt64](repeating: 0, count: size)
        shift = 64 - bits
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where key != Self.empty { insert(key, value) }
    }

    /// Inserts or replaces; the key must not be `UInt64.max`.
    mutating func insert(_ key: UInt64, _ value: UInt64) {
        guard key != Self.empty else { return }
        if (count + 1) * 2 > keys.count { reserve(count + 1) }
        let mask = keys.count - 1
        var index = slot(key)
        while keys[index] != Self.empty && keys[index] != key { index = (index + 1) & mask }
        if keys[index] == Self.empty { count += 1 }
        keys[index] = key
        values[index] = value
    }

    /// The value for `key`, or nil.
    @inline(__always)
    subscript(key: UInt64) -> UInt64? {
        if key == Self.empty { return nil }
        let mask = keys.count - 1
        var index = slot(key)
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == Self.empty { return nil }
            index = (index + 1) & mask
        }
    }
}
