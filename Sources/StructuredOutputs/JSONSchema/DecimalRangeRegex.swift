/// Exact regexes for the JSON spellings of the numbers in a range, written without an exponent:
/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?` cut down digit by digit on the integer part and then on the
/// fraction, so `0.5 < x <= 10` or `x >= -99999999999.99` cost a regex linear in the bounds' digits.
enum DecimalRangeRegex {
    struct Bound: Hashable, Sendable {
        var value: DecimalValue
        var inclusive: Bool
    }

    /// The numbers between `lower` and `upper` (nil: unbounded on that side). With
    /// `maxFractionDigits`, digits past that many places after the point must be zeros (the
    /// number is a multiple of `10^-maxFractionDigits`). Nil when no number qualifies.
    static func regex(lower: Bound?, upper: Bound?, maxFractionDigits: Int?) -> RegexNode? {
        var options: [RegexNode] = []
        // Zero and the positive numbers.
        if upper.map({ !$0.value.isNegative }) ?? true {
            let low = lower.flatMap { $0.value.isNegative ? nil : $0 } ?? Bound(value: .zero, inclusive: true)
            if let part = magnitudes(low, upper, maxFractionDigits) { options.append(part) }
        }
        // The negative numbers: "-" and a magnitude above zero.
        if lower.map({ $0.value.isNegative }) ?? true {
            let low = upper.flatMap { $0.value.isNegative ? Bound(value: $0.value.magnitude, inclusive: $0.inclusive) : nil }
                ?? Bound(value: .zero, inclusive: false)
            let high = lower.map { Bound(value: $0.value.magnitude, inclusive: $0.inclusive) }
            if let part = magnitudes(low, high, maxFractionDigits) { options.append(.concat([.literal("-"), part])) }
        }
        return IntegerRangeRegex.alternation(options)
    }

    /// Non-negative numbers from `low` up to `high` (nil: unbounded).
    private static func magnitudes(_ low: Bound, _ high: Bound?, _ maxFraction: Int?) -> RegexNode? {
        if let high {
            if high.value < low.value { return nil }
            if high.value == low.value && !(high.inclusive && low.inclusive) { return nil }
        }
        let lowInteger = low.value.integerDigits
        let lowFraction = Fraction(low: low.value.fractionDigits, lowInclusive: low.inclusive, maxDigits: maxFraction)
        if let high, high.value.integerDigits == lowInteger {
            var both = lowFraction
            both.high = high.value.fractionDigits
            both.highInclusive = high.inclusive
            return both.regex().map { .concat([IntegerRangeRegex.literal(lowInteger), $0]) }
        }
        var options: [RegexNode] = []
        if let first = lowFraction.regex() { options.append(.concat([IntegerRangeRegex.literal(lowInteger), first])) }
        let nextInteger = DecimalValue.incremented(lowInteger)
        let lastMiddle: [UInt8]? = high.map { DecimalValue.decremented($0.value.integerDigits) }
        let unconstrained = Fraction(low: [], lowInclusive: true, maxDigits: maxFraction)
        if lastMiddle.map({ IntegerRangeRegex.compare(nextInteger, $0) <= 0 }) ?? true,
           let middle = IntegerRangeRegex.magnitudes(from: nextInteger, through: lastMiddle),
           let fraction = unconstrained.regex() {
            options.append(.concat([middle, fraction]))
        }
        if let high {
            var last = unconstrained
            last.high = high.value.fractionDigits
            last.highInclusive = high.inclusive
            if let part = last.regex() { options.append(.concat([IntegerRangeRegex.literal(high.value.integerDigits), part])) }
        }
        return IntegerRangeRegex.alternation(options)
    }

    /// The optional fraction `(\.[0-9]+)?` whose value lies between two fractions given by their
    /// digits after the point (no trailing zeros; `high` nil: any value below 1).
    struct Fraction {
        var low: [UInt8]
        var lowInclusive: Bool
        var high: [UInt8]? = nil
        var highInclusive = true
        var maxDigits: Int?

        init(low: [UInt8], lowInclusive: Bool, maxDigits: Int?) {
            self.low = low
            self.lowInclusive = lowInclusive
            self.maxDigits = maxDigits
        }

        func regex() -> RegexNode? {
            // No fraction written: the value is 0.
            let zeroAllowed = low.isEmpty && lowInclusive && (high.map { !$0.isEmpty || highInclusive } ?? true)
            var options: [RegexNode] = zeroAllowed ? [.empty] : []
            if let digits = digits(from: 0, onLow: true, onHigh: high != nil) {
                options.append(.concat([.literal("."), digits]))
            }
            return IntegerRangeRegex.alternation(options)
        }

        /// The digits from place `position` on, while the prefix so far equals the low bound's
        /// (`onLow`) and/or the high bound's (`onHigh`). At place 0 at least one digit is needed.
        private func digits(from position: Int, onLow: Bool, onHigh: Bool) -> RegexNode? {
            let high = self.high ?? []
            let limit = max(onLow ? low.count : 0, onHigh ? high.count : 0, maxDigits ?? 0)
            let minimum = position == 0 ? 1 : 0
            if position >= limit {
                // Past every bound digit (and past `maxDigits`, when set): only zeros keep a prefix
                // equal to a bound, and only zeros may follow when `maxDigits` is set.
                let free = maxDigits == nil
                let zeros = RegexNode.repetition(.literal("0"), min: minimum, max: nil)
                let tail = free ? RegexNode.repetition(IntegerRangeRegex.anyDigit, min: minimum, max: nil) : zeros
                switch (onLow, onHigh) {
                case (false, false): return tail
                case (true, false):
                    if lowInclusive { return tail }
                    return free ? .concat([.zeroOrMore(.literal("0")), IntegerRangeRegex.digits(1, 9), .zeroOrMore(IntegerRangeRegex.anyDigit)]) : nil
                case (false, true): return highInclusive ? zeros : nil
                case (true, true): return lowInclusive && highInclusive ? zeros : nil
                }
            }
            var options: [RegexNode] = []
            if position > 0 {
                let lowMet = !onLow || (position >= low.count && lowInclusive)
                let highMet = !onHigh || position < high.count || highInclusive
                if lowMet && highMet { options.append(.empty) }
            }
            let lowDigit: UInt8 = onLow && position < low.count ? low[position] : 0
            let highDigit: UInt8 = onHigh ? (position < high.count ? high[position] : 0) : 9
            let top: UInt8 = maxDigits.map { position >= $0 } == true ? min(highDigit, 0) : highDigit
            var digit = lowDigit
            while digit <= top {
                let staysLow = onLow && digit == lowDigit
                let staysHigh = onHigh && digit == highDigit
                var last = digit
                // Group the digits in between, which leave both bounds.
                if !staysLow && !staysHigh { while last < top && !(onHigh && last + 1 == highDigit) { last += 1 } }
                if let rest = digits(from: position + 1, onLow: staysLow, onHigh: staysHigh) {
                    options.append(.concat([IntegerRangeRegex.digits(digit, last), rest]))
                }
                digit = last + 1
            }
            return IntegerRangeRegex.alternation(options)
        }
    }
}
