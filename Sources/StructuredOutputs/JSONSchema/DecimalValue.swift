import SwiftletJSON

/// An exact decimal number (sign, digits, power of ten) read from a JSON number literal, for the
/// bounds and `multipleOf` of numeric schemas: no `Double` rounding, no overflow at 2^64.
struct DecimalValue: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Digits of the magnitude, most significant first, no leading or trailing zeros (empty: zero).
    private(set) var digits: [UInt8]
    /// The value is `digits × 10^exponent`.
    private(set) var exponent: Int
    private(set) var isNegative: Bool

    /// Literals whose digits or exponent go past this are refused (nil), so a bound like `1e999999`
    /// cannot make the compiler build a million-digit regex.
    static let maxMagnitudeDigits = 400

    static let zero = DecimalValue(digits: [], exponent: 0, isNegative: false)
    static let one = DecimalValue(digits: [1], exponent: 0, isNegative: false)

    init(digits: [UInt8], exponent: Int, isNegative: Bool) {
        var digits = Array(digits.drop(while: { $0 == 0 }))
        var exponent = exponent
        while let last = digits.last, last == 0 {
            digits.removeLast()
            exponent += 1
        }
        self.digits = digits
        self.exponent = digits.isEmpty ? 0 : exponent
        self.isNegative = digits.isEmpty ? false : isNegative
    }

    init(_ value: Int) {
        let magnitude = value.magnitude
        self.init(digits: String(magnitude).utf8.map { $0 - 48 }, exponent: 0, isNegative: value < 0)
    }

    /// The value of a JSON number literal; nil when its magnitude is beyond `maxMagnitudeDigits`
    /// digits before or after the point.
    init?(_ number: JSONNumber) {
        var bytes = Array(number.text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var exponent = 0
        var seenPoint = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: ".") { seenPoint = true; continue }
            guard (48...57).contains(byte) else { return nil }
            digits.append(byte - 48)
            if seenPoint { exponent -= 1 }
            if digits.count > 4 * Self.maxMagnitudeDigits { return nil }
        }
        if !bytes.isEmpty {
            bytes = bytes.dropFirst()
            var exponentNegative = false
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
                exponentNegative = bytes.first == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            var written = 0
            for byte in bytes {
                guard (48...57).contains(byte) else { return nil }
                written = written * 10 + Int(byte - 48)
                if written > 100_000 { return nil }
            }
            exponent += exponentNegative ? -written : written
        }
        self.init(digits: digits, exponent: exponent, isNegative: negative)
        guard self.integerDigits.count <= Self.maxMagnitudeDigits, self.fractionDigits.count <= Self.maxMagnitudeDigits else { return nil }
    }

    var isZero: Bool { digits.isEmpty }
    var isInteger: Bool { exponent >= 0 }
    var magnitude: DecimalValue { DecimalValue(digits: digits, exponent: exponent, isNegative: false) }
    var negated: DecimalValue { DecimalValue(digits: digits, exponent: exponent, isNegative: !isNegative) }

    /// Digits of the integer part of the magnitude, `[0]` for zero (as JSON spells it).
    var integerDigits: [UInt8] {
        let count = digits.count + exponent
        if count <= 0 { return [0] }
        if exponent >= 0 { return digits + Array(repeating: 0, count: exponent) }
        return Array(digits[0..<count])
    }

    /// Digits after the point of the magnitude, no trailing zeros (empty for an integer).
    var fractionDigits: [UInt8] {
        if exponent >= 0 { return [] }
        let count = digits.count + exponent
        if count >= 0 { return Array(digits[count...]) }
        return Array(repeating: 0, count: -count) + digits
    }

    /// The greatest integer at most this value.
    var floor: DecimalValue {
        if isInteger { return self }
        let truncated = DecimalValue(digits: integerDigits, exponent: 0, isNegative: isNegative)
        return isNegative ? truncated.adding(-1) : truncated
    }

    /// The least integer at least this value.
    var ceiling: DecimalValue { negated.floor.negated }

    /// This integer plus `step` (±1); only for integers.
    func adding(_ step: Int) -> DecimalValue {
        precondition(isInteger && (step == 1 || step == -1))
        if isZero { return DecimalValue(step) }
        let magnitudeDigits = integerDigits
        // Same sign as the step: the magnitude grows; otherwise it shrinks.
        if isNegative == (step < 0) {
            return DecimalValue(digits: Self.incremented(magnitudeDigits), exponent: 0, isNegative: isNegative)
        }
        return DecimalValue(digits: Self.decremented(magnitudeDigits), exponent: 0, isNegative: isNegative)
    }

    static func incremented(_ digits: [UInt8]) -> [UInt8] {
        var result = digits
        var index = result.count - 1
        while index >= 0 {
            if result[index] < 9 { result[index] += 1; return result }
            result[index] = 0
            index -= 1
        }
        return [1] + result
    }

    /// The magnitude minus one; only for a positive integer magnitude.
    static func decremented(_ digits: [UInt8]) -> [UInt8] {
        var result = digits
        var index = result.count - 1
        while index >= 0 {
            if result[index] > 0 { result[index] -= 1; break }
            result[index] = 9
            index -= 1
        }
        let trimmed = Array(result.drop(while: { $0 == 0 }))
        return trimmed.isEmpty ? [0] : trimmed
    }

    /// The value as an `Int` when it is an integer that fits.
    var intValue: Int? {
        guard isInteger, integerDigits.count <= 18 else { return nil }
        let magnitude = integerDigits.reduce(0) { $0 * 10 + Int($1) }
        return isNegative ? -magnitude : magnitude
    }

    static func < (lhs: DecimalValue, rhs: DecimalValue) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        let magnitudeLess = compareMagnitudes(lhs, rhs) < 0
        let magnitudeGreater = compareMagnitudes(lhs, rhs) > 0
        return lhs.isNegative ? magnitudeGreater : magnitudeLess
    }

    private static func compareMagnitudes(_ lhs: DecimalValue, _ rhs: DecimalValue) -> Int {
        let left = lhs.integerDigits, right = rhs.integerDigits
        if left.count != right.count { return left.count < right.count ? -1 : 1 }
        for (a, b) in zip(left, right) where a != b { return a < b ? -1 : 1 }
        let leftFraction = lhs.fractionDigits, rightFraction = rhs.fractionDigits
        for index in 0..<max(leftFraction.count, rightFraction.count) {
            let a = index < leftFraction.count ? leftFraction[index] : 0
            let b = index < rightFraction.count ? rightFraction[index] : 0
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    var description: String {
        let fraction = fractionDigits
        let integer = String(decoding: integerDigits.map { $0 + 48 }, as: UTF8.self)
        let sign = isNegative ? "-" : ""
        if fraction.isEmpty { return sign + integer }
        return sign + integer + "." + String(decoding: fraction.map { $0 + 48 }, as: UTF8.self)
    }
}
