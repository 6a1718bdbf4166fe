/// Exact regexes for the JSON spellings of the integers in a range: `-?(0|[1-9][0-9]*)` cut down
/// digit by digit, for bounds of any size (they are digit strings, not machine integers).
enum IntegerRangeRegex {
    static let anyDigit = RegexNode.scalars([48...57])

    static func digits(_ low: UInt8, _ high: UInt8) -> RegexNode {
        low == high ? .literal(String(UnicodeScalar(low + 48))) : .scalars([UInt32(low + 48)...UInt32(high + 48)])
    }

    static func literal(_ digits: [UInt8]) -> RegexNode {
        .literal(String(decoding: digits.map { $0 + 48 }, as: UTF8.self))
    }

    /// The integers in `lower...upper` (each nil: unbounded on that side; both must be integers),
    /// or nil when there is none. Negative zero is not spelled.
    static func regex(lower: DecimalValue?, upper: DecimalValue?) -> RegexNode? {
        if let lower, let upper, upper < lower { return nil }
        var options: [RegexNode] = []
        // Zero and the positive integers.
        if upper.map({ !$0.isNegative }) ?? true {
            let low = lower.map { $0.isNegative ? [0] : $0.integerDigits } ?? [0]
            if let part = magnitudes(from: low, through: upper?.integerDigits) { options.append(part) }
        }
        // The negative integers, as "-" and their magnitude.
        if lower.map({ $0.isNegative }) ?? true {
            let low = upper.map { $0.isNegative ? $0.integerDigits : [1] } ?? [1]
            if let part = magnitudes(from: low, through: lower?.integerDigits) {
                options.append(.concat([.literal("-"), part]))
            }
        }
        return alternation(options)
    }

    static func alternation(_ options: [RegexNode]) -> RegexNode? {
        switch options.count {
        case 0: return nil
        case 1: return options[0]
        default: return .alternation(options)
        }
    }

    /// Magnitudes `low...high` (high nil: unbounded) as JSON digit strings (no leading zeros).
    static func magnitudes(from low: [UInt8], through high: [UInt8]?) -> RegexNode? {
        if let high, compare(high, low) < 0 { return nil }
        var options: [RegexNode] = []
        let lastLength = high?.count ?? low.count
        for length in low.count...lastLength {
            let from = length == low.count ? low : [1] + Array(repeating: 0, count: length - 1)
            let through = (high != nil && length == lastLength) ? high! : Array(repeating: 9, count: length)
            options.append(sameLength(from, through))
        }
        if high == nil {
            // Every magnitude longer than `low`.
            options.append(.concat([digits(1, 9), .repetition(anyDigit, min: low.count, max: nil)]))
        }
        return alternation(options)
    }

    /// Digit strings of one length from `low` through `high` (`low <= high`, same length).
    static func sameLength(_ low: [UInt8], _ high: [UInt8]) -> RegexNode {
        if low.isEmpty { return .empty }
        if low == high { return literal(low) }
        let rest = low.count - 1
        let first = low[0], last = high[0]
        let lowTail = Array(low.dropFirst()), highTail = Array(high.dropFirst())
        if first == last { return .concat([digits(first, first), sameLength(lowTail, highTail)]) }
        let lowFull = lowTail.allSatisfy { $0 == 0 }, highFull = highTail.allSatisfy { $0 == 9 }
        var options: [RegexNode] = []
        let middleLow = lowFull ? first : first + 1
        let middleHigh = highFull ? last : last - 1
        if !lowFull {
            options.append(.concat([digits(first, first), sameLength(lowTail, Array(repeating: 9, count: rest))]))
        }
        if middleLow <= middleHigh {
            options.append(.concat([digits(middleLow, middleHigh), .repetition(anyDigit, min: rest, max: rest)]))
        }
        if !highFull {
            options.append(.concat([digits(last, last), sameLength(Array(repeating: 0, count: rest), highTail)]))
        }
        return alternation(options) ?? .never
    }

    /// Compares two magnitudes written without leading zeros.
    static func compare(_ left: [UInt8], _ right: [UInt8]) -> Int {
        if left.count != right.count { return left.count < right.count ? -1 : 1 }
        for (a, b) in zip(left, right) where a != b { return a < b ? -1 : 1 }
        return 0
    }
}
