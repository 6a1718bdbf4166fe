/// A set of lexeme indices (0, 1, 2, ...) as a bitset of any size: grammars can have thousands of
/// lexemes. Equal sets are equal values whatever their history (no trailing zero words are kept).
public struct LexemeSet: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    private var words: [UInt64] = []

    public init() {}

    public init<Indices: Sequence<Int>>(_ indices: Indices) {
        for index in indices { insert(index) }
    }

    public init(arrayLiteral indices: Int...) { self.init(indices) }

    /// The indices `0..<count`.
    public static func all(_ count: Int) -> LexemeSet { LexemeSet(0..<Swift.max(count, 0)) }

    public var isEmpty: Bool { words.isEmpty }

    public var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The smallest index in the set.
    public var first: Int? {
        for (wordIndex, word) in words.enumerated() where word != 0 {
            return wordIndex * 64 + word.trailingZeroBitCount
        }
        return nil
    }

    public func contains(_ index: Int) -> Bool {
        guard index >= 0, index >> 6 < words.count else { return false }
        return words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    /// Adds `index` (which must not be negative); whether it was new.
    @discardableResult
    public mutating func insert(_ index: Int) -> Bool {
        precondition(index >= 0, "a lexeme index is never negative")
        if index >> 6 >= words.count { words.append(contentsOf: repeatElement(0, count: index >> 6 - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(index & 63)
        let isNew = words[index >> 6] & bit == 0
        words[index >> 6] |= bit
        return isNew
    }

    public mutating func remove(_ index: Int) {
        guard index >= 0, index >> 6 < words.count else { return }
        words[index >> 6] &= ~(1 << UInt64(index & 63))
        trim()
    }

    public func union(_ other: LexemeSet) -> LexemeSet {
        var result = self
        result.formUnion(other)
        return result
    }

    public mutating func formUnion(_ other: LexemeSet) {
        if other.words.count > words.count { words.append(contentsOf: repeatElement(0, count: other.words.count - words.count)) }
        for index in other.words.indices { words[index] |= other.words[index] }
    }

    public func intersection(_ other: LexemeSet) -> LexemeSet {
        var result = LexemeSet()
        result.words = zip(words, other.words).map { $0 & $1 }
        result.trim()
        return result
    }

    public func subtracting(_ other: LexemeSet) -> LexemeSet {
        var result = self
        for index in 0..<Swift.min(words.count, other.words.count) { result.words[index] &= ~other.words[index] }
        result.trim()
        return result
    }

    public func isDisjoint(with other: LexemeSet) -> Bool {
        !zip(words, other.words).contains { $0 & $1 != 0 }
    }

    public func isSubset(of other: LexemeSet) -> Bool {
        words.indices.allSatisfy { words[$0] & ~(($0 < other.words.count) ? other.words[$0] : 0) == 0 }
    }

    private mutating func trim() {
        while words.last == 0 { words.removeLast() }
    }

    public struct Iterator: IteratorProtocol {
        private let words: [UInt64]
        private var wordIndex = 0
        private var remaining: UInt64

        fileprivate init(_ words: [UInt64]) {
            self.words = words
            remaining = words.first ?? 0
        }

        public mutating func next() -> Int? {
            while remaining == 0 {
                wordIndex += 1
                guard wordIndex < words.count else { return nil }
                remaining = words[wordIndex]
            }
            let bit = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            return wordIndex * 64 + bit
        }
    }

    /// The indices in increasing order.
    public func makeIterator() -> Iterator { Iterator(words) }

    public var description: String { "[" + map(String.init).joined(separator: ", ") + "]" }
}
