/// The lexeme regex of a `number`/`integer` node: plain JSON numbers when unconstrained; exact
/// range regexes (written without an exponent) for bounds; `multipleOf` as a limit on fraction
/// digits for powers of ten (0.01, 1), else through `MultipleOfRegex`.
enum NumberRegex {
    /// Nil when no number fits.
    static func regex(_ shape: NumberShape) throws(JSONSchemaError) -> RegexNode? {
        var maxFraction: Int?
        var step: DecimalValue?
        if let multiple = shape.multipleOf {
            if multiple.digits == [1] && multiple.exponent <= 0 {
                // 10^-k: at most k significant fraction digits (integers always qualify).
                if !shape.isInteger { maxFraction = -multiple.exponent }
            } else {
                step = shape.isInteger ? integerStep(multiple) : multiple
            }
        }
        if let step { return try stepped(shape, step) }
        if shape.isInteger {
            if shape.lower == nil && shape.upper == nil { return JSONTokens.integer }
            return IntegerRangeRegex.regex(lower: integerLower(shape.lower), upper: integerUpper(shape.upper))
        }
        if shape.lower == nil && shape.upper == nil && maxFraction == nil { return JSONTokens.number }
        if maxFraction == nil, shape.lower?.value.isZero ?? true, shape.upper?.value.isZero ?? true {
            return signOnly(lower: shape.lower, upper: shape.upper)
        }
        return DecimalRangeRegex.regex(lower: shape.lower, upper: shape.upper, maxFractionDigits: maxFraction)
    }

    /// Bounds at zero (`x >= 0`, `x > 0`, `x <= 0`, `x < 0`) only fix the sign, so the numbers keep
    /// every spelling, exponents included (`1e-06` is at least 0).
    static func signOnly(lower: DecimalRangeRegex.Bound?, upper: DecimalRangeRegex.Bound?) -> RegexNode? {
        typealias R = RegexBuilding
        let digit = JSONTokens.digit
        let exponent = R.opt(R.seq(R.set("eE"), R.opt(R.set("+-")), R.plus(digit)))
        let positive = R.seq(R.alt(
            R.seq(R.set("1-9"), R.star(digit), R.opt(R.seq(R.lit("."), R.plus(digit)))),
            R.seq(R.lit("0."), R.star(digit), R.set("1-9"), R.star(digit))), exponent)
        let zero = R.seq(R.opt(R.lit("-")), R.lit("0"), R.opt(R.seq(R.lit("."), R.plus(R.lit("0")))), exponent)
        var options: [RegexNode] = []
        if upper == nil { options.append(positive) }
        if lower == nil { options.append(R.seq(R.lit("-"), positive)) }
        if lower?.inclusive ?? true, upper?.inclusive ?? true { options.append(zero) }
        return IntegerRangeRegex.alternation(options)
    }

    static func integerLower(_ bound: DecimalRangeRegex.Bound?) -> DecimalValue? {
        bound.map { $0.inclusive || !$0.value.isInteger ? $0.value.ceiling : $0.value.adding(1) }
    }

    static func integerUpper(_ bound: DecimalRangeRegex.Bound?) -> DecimalValue? {
        bound.map { $0.inclusive || !$0.value.isInteger ? $0.value.floor : $0.value.adding(-1) }
    }

    /// An integer is a multiple of c·10^-e exactly when it is a multiple of c / gcd(c, 10^e).
    private static func integerStep(_ step: DecimalValue) -> DecimalValue {
        guard step.exponent < 0, let scaledStep = MultipleOfRegex.scaled(step, step.exponent) else { return step }
        var divisor = scaledStep
        for _ in 0..<(-step.exponent) {
            if divisor % 2 == 0 { divisor /= 2 }
            if divisor % 5 == 0 { divisor /= 5 }
        }
        return DecimalValue(divisor)
    }

    private static func stepped(_ shape: NumberShape, _ step: DecimalValue) throws(JSONSchemaError) -> RegexNode? {
        let unsupported = JSONSchemaError.unsupported(keyword: "multipleOf", pointer: shape.pointer.appending("multipleOf").description)
        if let lower = shape.lower, let upper = shape.upper {
            let spell: (DecimalValue) -> RegexNode? = { value in
                if shape.isInteger { return IntegerRangeRegex.regex(lower: value, upper: value) }
                let bound = DecimalRangeRegex.Bound(value: value, inclusive: true)
                return DecimalRangeRegex.regex(lower: bound, upper: bound, maxFractionDigits: nil)
            }
            guard let options = MultipleOfRegex.listed(step: step, lower: lower, upper: upper, spell: spell) else { throw unsupported }
            return IntegerRangeRegex.alternation(options)
        }
        // Otherwise only integral steps, and only bounds at zero (which fix the sign).
        guard shape.lower?.value.isZero ?? true, shape.upper?.value.isZero ?? true, step.isInteger,
              let divisor = step.intValue, let positive = MultipleOfRegex.divisibleMagnitudes(by: divisor) else { throw unsupported }
        var options: [RegexNode] = []
        if shape.upper == nil { options.append(positive) }
        if shape.lower == nil { options.append(.concat([.literal("-"), positive])) }
        if shape.lower?.inclusive ?? true, shape.upper?.inclusive ?? true { options.append(.literal("0")) }
        guard let signed = IntegerRangeRegex.alternation(options) else { return nil }
        if shape.isInteger { return signed }
        // A number that is a multiple of an integer has only zeros after its point.
        return .concat([signed, .optional(.concat([.literal("."), .oneOrMore(.literal("0"))]))])
    }
}
