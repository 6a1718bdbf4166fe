import Foundation

/// Python's printf-style `'%s and %d' % (a, b)` string formatting (also the `format` filter),
/// for the conversions chat templates use: `%s %r %d %i %f %x %%`, with optional width and precision.
enum PercentFormat {
    static func format(_ template: String, _ argument: Value) throws -> String {
        var args: [Value]
        if case .tuple(let items) = argument { args = items } else { args = [argument] }
        var out = ""
        var chars = Array(template.unicodeScalars)[...]
        var used = 0
        while let c = chars.first {
            chars = chars.dropFirst()
            guard c == "%" else { out.unicodeScalars.append(c); continue }
            var spec = ""
            while let d = chars.first, "-+ 0#.123456789".unicodeScalars.contains(d) {
                spec.unicodeScalars.append(d)
                chars = chars.dropFirst()
            }
            guard let conversion = chars.first else { throw EvalFailure.type("incomplete format") }
            chars = chars.dropFirst()
            if conversion == "%" { out += "%"; continue }
            guard used < args.count else { throw EvalFailure.type("not enough arguments for format string") }
            let value = args[used]
            used += 1
            out += pad(try convert(conversion, value, spec: spec), spec: spec)
        }
        guard used == args.count || (args.count == 1 && used == 0 && argument.isMapping) else {
            throw EvalFailure.type("not all arguments converted during string formatting")
        }
        return out
    }

    private static func convert(_ conversion: Unicode.Scalar, _ value: Value, spec: String) throws -> String {
        let precision = spec.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first.flatMap { Int($0) }
        switch conversion {
        case "s": return try ValueFormatting.str(value)
        case "r":
            var out = ""
            try ValueFormatting.appendRepr(value, to: &out, depth: 0)
            return out
        case "d", "i":
            guard let number = value.number else { throw EvalFailure.type("%d format: a real number is required, not \(value.typeName)") }
            if let i = value.integer { return String(i) }
            guard number.isFinite, abs(number) < 9.2e18 else { throw EvalFailure.type("cannot convert float to integer") }
            return String(Int(number))
        case "f", "F":
            guard let number = value.number else { throw EvalFailure.type("must be real number, not \(value.typeName)") }
            return fixed(number, digits: min(precision ?? 6, 50))
        case "x", "X":
            guard let i = value.integer else { throw EvalFailure.type("%x format: an integer is required, not \(value.typeName)") }
            let hex = String(i.magnitude, radix: 16, uppercase: conversion == "X")
            return i < 0 ? "-" + hex : hex
        default:
            throw EvalFailure.type("unsupported format character '\(conversion)'")
        }
    }

    /// `%.Nf` from the exact binary value, correctly rounded (as Python and C printf do).
    static func fixed(_ number: Double, digits: Int) -> String {
        guard number.isFinite else { return number.isNaN ? "nan" : (number < 0 ? "-inf" : "inf") }
        return String(format: "%.\(digits)f", number)
    }

    private static func pad(_ text: String, spec: String) -> String {
        let widthText = spec.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let leftAlign = widthText.contains("-")
        let zero = widthText.hasPrefix("0")
        let width = min(Int(widthText.filter { $0.isNumber }) ?? 0, 1024)
        let count = text.unicodeScalars.count
        guard width > count else { return text }
        let fill = String(repeating: zero && !leftAlign ? "0" : " ", count: width - count)
        return leftAlign ? text + fill : fill + text
    }
}

extension Value {
    var isMapping: Bool {
        if case .dict = self { return true }
        return false
    }
}
