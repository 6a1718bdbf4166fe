/// `multipleOf` for steps other than powers of ten (those are a limit on fraction digits, see
/// `NumberRegex`). Two exact forms: the multiples in a bounded range when there are few of them,
/// listed; and, with no bounds, the integers whose remainder by the step is 0, as the regex of the
/// remainder automaton (state elimination), when that regex stays small. Otherwise unsupported.
enum MultipleOfRegex {
    /// Most multiples listed one by one.
    static let maxListed = 1_000
    /// Largest step whose remainder automaton is turned into a regex.
    static let maxAutomatonStep = 12
    /// Size (nodes) past which the automaton's regex is refused.
    static let maxRegexNodes = 20_000
    /// Most final-digit groups listed for a step that divides a power of ten.
    static let maxSuffixes = 2_000

    /// The least common multiple of two positive decimals, when it fits in an `Int` once scaled.
    static func leastCommonMultiple(_ a: DecimalValue, _ b: DecimalValue) -> DecimalValue? {
        let exponent = min(a.exponent, b.exponent)
        guard let x = scaled(a, exponent), let y = scaled(b, exponent) else { return nil }
        let (product, overflow) = (x / gcd(x, y)).multipliedReportingOverflow(by: y)
        if overflow { return nil }
        return DecimalValue(digits: DecimalValue(product).digits, exponent: DecimalValue(product).exponent + exponent, isNegative: false)
    }

    /// `value / 10^exponent` as an `Int` (exact: `exponent` is at most the value's own exponent).
    static func scaled(_ value: DecimalValue, _ exponent: Int) -> Int? {
        let shift = value.exponent - exponent
        guard shift >= 0, value.digits.count + shift <= 18 else { return nil }
        return (value.digits + Array(repeating: 0, count: shift)).reduce(0) { $0 * 10 + Int($1) }
    }

    static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }

    /// The multiples of `step` in `lower...upper` (exclusive ends honoured), each spelled as
    /// `spell` does for one value; nil when there are more than `maxListed`.
    static func listed(step: DecimalValue, lower: DecimalRangeRegex.Bound, upper: DecimalRangeRegex.Bound,
                       spell: (DecimalValue) -> RegexNode?) -> [RegexNode]? {
        let exponent = min(step.exponent, lower.value.exponent, upper.value.exponent, 0)
        guard let unit = scaled(step, exponent), unit > 0,
              let low = scaled(lower.value.magnitude, exponent).map({ lower.value.isNegative ? -$0 : $0 }),
              let high = scaled(upper.value.magnitude, exponent).map({ upper.value.isNegative ? -$0 : $0 }) else { return nil }
        // First multiple at or above `low` (above it when exclusive).
        var first = low >= 0 ? (low + unit - 1) / unit * unit : -((-low) / unit * unit)
        if first == low && !lower.inclusive { first += unit }
        guard first <= high else { return [] }
        let count = (high - first) / unit + 1
        guard count <= maxListed else { return nil }
        var options: [RegexNode] = []
        var value = first
        while value <= high {
            if value == high && !upper.inclusive { break }
            let decimal = DecimalValue(digits: DecimalValue(value).digits, exponent: DecimalValue(value).exponent + exponent, isNegative: value < 0)
            if let node = spell(decimal) { options.append(node) }
            value += unit
        }
        return options
    }

    /// Positive integer magnitudes (JSON digit strings, zero left out) divisible by `step`, or nil
    /// when the step is too large or the regex would be.
    static func divisibleMagnitudes(by step: Int) -> RegexNode? {
        guard step >= 1 else { return nil }
        if step == 1 { return IntegerRangeRegex.magnitudes(from: [1], through: nil) }
        if let suffixed = suffixMultiples(of: step) { return suffixed }
        guard step <= maxAutomatonStep else { return nil }
        // States: 0..<step the remainder so far; `step` the start. Edges labelled by digit sets.
        let start = step
        var edges: [[Int: RegexNode]] = Array(repeating: [:], count: step + 1)
        func add(_ from: Int, _ to: Int, _ node: RegexNode) {
            edges[from][to] = edges[from][to].map { RegexDerivatives.alternation([$0, node]) } ?? node
        }
        for digit in 1...9 { add(start, digit % step, IntegerRangeRegex.digits(UInt8(digit), UInt8(digit))) }
        for remainder in 0..<step {
            for digit in 0...9 { add(remainder, (remainder * 10 + digit) % step, IntegerRangeRegex.digits(UInt8(digit), UInt8(digit))) }
        }
        for from in 0...step { for (to, node) in edges[from] { edges[from][to] = mergedDigits(node) } }
        let accepting = (0...step).map { $0 == 0 }
        guard let positive = StateElimination.regex(edges: edges, start: start, accepting: accepting, maxSize: maxRegexNodes) else { return nil }
        if case .never = positive { return nil }
        return positive
    }

    /// For a step of the form 2^a·5^b, whether a number is a multiple depends only on its last
    /// k = max(a, b) digits (10^k is a multiple): the multiples below 10^k as written, and longer
    /// numbers ending in one of the k-digit multiples (zero-padded).
    private static func suffixMultiples(of step: Int) -> RegexNode? {
        var rest = step, power = 1, digits = 0
        while rest % 2 == 0 || rest % 5 == 0 {
            if rest % 2 == 0 { rest /= 2 }
            if rest % 5 == 0 { rest /= 5 }
        }
        guard rest == 1 else { return nil }
        while power % step != 0 { power *= 10; digits += 1 }
        guard power / step <= maxSuffixes else { return nil }
        var short: [RegexNode] = []
        var endings: [RegexNode] = []
        var value = step
        while value < power {
            short.append(.literal(String(value)))
            value += step
        }
        value = 0
        while value < power {
            let text = String(value)
            endings.append(.literal(String(repeating: "0", count: digits - text.count) + text))
            value += step
        }
        let long = RegexNode.concat([IntegerRangeRegex.digits(1, 9), .zeroOrMore(IntegerRangeRegex.anyDigit), .alternation(endings)])
        return RegexDerivatives.alternation(short + [long])
    }

    /// An alternation of single digits as one class.
    private static func mergedDigits(_ node: RegexNode) -> RegexNode {
        guard case .alternation(let options) = node else { return node }
        var ranges: [ClosedRange<UInt32>] = []
        for option in options {
            switch option {
            case .literal(let text): ranges += text.unicodeScalars.map { $0.value...$0.value }
            case .scalars(let more): ranges += more
            default: return node
            }
        }
        return .scalars(RegexBuilding.normalized(ranges))
    }
}
