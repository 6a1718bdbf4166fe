/// A set of Unicode scalar values as sorted, non-overlapping, non-adjacent ranges: the character
/// classes of the regex parser, before they become `RegexNode.scalars`. Surrogates (D800-DFFF) are
/// never members: they are not scalars and have no UTF-8 form.
struct ScalarRangeSet: Hashable, Sendable {
    private(set) var ranges: [ClosedRange<UInt32>] = []

    static let surrogates: ClosedRange<UInt32> = 0xD800...0xDFFF
    static let maxScalar: UInt32 = 0x10FFFF
    static let all = ScalarRangeSet(ranges: [0...maxScalar])

    init() {}

    /// The union of `ranges` (any order, overlapping or not), less the surrogates.
    init(ranges: [ClosedRange<UInt32>]) {
        var sorted: [ClosedRange<UInt32>] = []
        for range in ranges {
            let upper = min(range.upperBound, Self.maxScalar)
            guard range.lowerBound <= upper else { continue }
            // Cut out the surrogates.
            if range.lowerBound < Self.surrogates.lowerBound {
                sorted.append(range.lowerBound...min(upper, Self.surrogates.lowerBound - 1))
            }
            if upper > Self.surrogates.upperBound {
                sorted.append(max(range.lowerBound, Self.surrogates.upperBound + 1)...upper)
            }
        }
        sorted.sort { $0.lowerBound < $1.lowerBound }
        for range in sorted {
            if let last = self.ranges.last, range.lowerBound <= last.upperBound &+ 1 {
                self.ranges[self.ranges.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                self.ranges.append(range)
            }
        }
    }

    /// The set of one scalar value (empty for a surrogate or a value past U+10FFFF).
    init(scalar: UInt32) {
        if scalar <= Self.maxScalar && !Self.surrogates.contains(scalar) { ranges = [scalar...scalar] }
    }

    var isEmpty: Bool { ranges.isEmpty }

    /// The one member when there is exactly one.
    var singleScalar: UInt32? {
        ranges.count == 1 && ranges[0].lowerBound == ranges[0].upperBound ? ranges[0].lowerBound : nil
    }

    func contains(_ scalar: UInt32) -> Bool {
        ranges.contains { $0.contains(scalar) }
    }

    func union(_ other: ScalarRangeSet) -> ScalarRangeSet {
        ScalarRangeSet(ranges: ranges + other.ranges)
    }

    /// Every scalar not in this set.
    func inverted() -> ScalarRangeSet {
        var gaps: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for range in ranges {
            if range.lowerBound > next { gaps.append(next...(range.lowerBound - 1)) }
            next = range.upperBound + 1
        }
        if next <= Self.maxScalar { gaps.append(next...Self.maxScalar) }
        return ScalarRangeSet(ranges: gaps)
    }

    /// The regex of one scalar of this set: `never` when empty, a literal for one scalar.
    var node: RegexNode {
        if isEmpty { return .never }
        if let scalar = singleScalar, let value = Unicode.Scalar(scalar) { return .literal(String(Character(value))) }
        return .scalars(ranges)
    }
}
