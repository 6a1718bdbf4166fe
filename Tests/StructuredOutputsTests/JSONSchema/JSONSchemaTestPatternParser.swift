@testable import StructuredOutputs

/// A small ECMAScript-pattern reader for measuring the compiler on real schemas before the
/// regex-syntax parser is wired in: characters and escapes (`\d \w \s`, their negations, `\uXXXX`,
/// `\xXX`), classes, `.`, groups (capturing, `(?:`, `(?<name>`), `|`, and the quantifiers `* + ?
/// {n} {n,} {n,m}` (a lazy `?` after one is dropped). `^` and `$` only at the ends of a top-level
/// branch; lookarounds, back-references and `\b` are refused. Test code, not the engine's parser.
struct TestPatternParser {
    struct Unsupported: Error { var reason: String }

    static let translator: JSONSchemaOptions.PatternTranslator = { pattern, use in
        var parser = TestPatternParser(Array(pattern.unicodeScalars))
        return try parser.parse(use: use)
    }

    private let scalars: [Unicode.Scalar]
    private var position = 0

    private init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func next() throws -> Unicode.Scalar {
        guard let scalar = peek else { throw Unsupported(reason: "unexpected end") }
        position += 1
        return scalar
    }

    private static let any = RegexNode.zeroOrMore(.anyScalar)
    private static let digit: [ClosedRange<UInt32>] = [48...57]
    private static let word: [ClosedRange<UInt32>] = [48...57, 65...90, 95...95, 97...122]
    private static let space: [ClosedRange<UInt32>] = [9...13, 32...32, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF]
    private static let lineTerminators: [ClosedRange<UInt32>] = [10...10, 13...13, 0x2028...0x2029]

    private static func complement(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        RegexDerivatives.subtract(RegexBuilding.normalized(ranges), from: RegexNode.anyScalar.scalarRanges)
    }

    mutating func parse(use: JSONSchemaOptions.PatternUse) throws -> RegexNode {
        var branches: [RegexNode] = []
        while true {
            var anchoredStart = false, anchoredEnd = false
            if peek == "^" { position += 1; anchoredStart = true }
            var items: [RegexNode] = []
            while let scalar = peek, scalar != "|" {
                if scalar == "$" && (position + 1 == scalars.count || scalars[position + 1] == "|") {
                    position += 1
                    anchoredEnd = true
                    break
                }
                items.append(try quantified())
            }
            var branch: [RegexNode] = items
            if use == .search {
                if !anchoredStart { branch.insert(Self.any, at: 0) }
                if !anchoredEnd { branch.append(Self.any) }
            } else if anchoredStart || anchoredEnd {
                throw Unsupported(reason: "anchors in a whole-text pattern")
            }
            branches.append(.concat(branch))
            if peek == "|" { position += 1 } else { break }
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws -> RegexNode {
        var options: [RegexNode] = []
        var items: [RegexNode] = []
        while let scalar = peek, scalar != ")" {
            if scalar == "|" {
                position += 1
                options.append(.concat(items))
                items = []
            } else {
                items.append(try quantified())
            }
        }
        options.append(.concat(items))
        return options.count == 1 ? options[0] : .alternation(options)
    }

    private mutating func quantified() throws -> RegexNode {
        var node = try atom()
        while let scalar = peek {
            var bounds: (Int, Int?)
            switch scalar {
            case "*": bounds = (0, nil); position += 1
            case "+": bounds = (1, nil); position += 1
            case "?": bounds = (0, 1); position += 1
            case "{":
                guard let counted = try braces() else { return node }
                bounds = counted
            default: return node
            }
            if peek == "?" { position += 1 }
            node = .repetition(node, min: bounds.0, max: bounds.1)
        }
        return node
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil (and nothing consumed) when the brace is a literal.
    private mutating func braces() throws -> (Int, Int?)? {
        let start = position
        position += 1
        func number() -> Int? {
            var digits = ""
            while let scalar = peek, ("0"..."9").contains(scalar) { digits.unicodeScalars.append(scalar); position += 1 }
            return Int(digits)
        }
        guard let low = number() else { position = start; return nil }
        var high: Int? = low
        if peek == "," {
            position += 1
            high = number()
        }
        guard peek == "}" else { position = start; return nil }
        position += 1
        if let high, high < low { throw Unsupported(reason: "bad repetition") }
        return (low, high)
    }

    private mutating func atom() throws -> RegexNode {
        let scalar = try next()
        switch scalar {
        case "(":
            if peek == "?" {
                position += 1
                let kind = try next()
                if kind == "<", peek != "=" && peek != "!" {
                    while try next() != ">" {}
                } else if kind != ":" {
                    throw Unsupported(reason: "lookaround")
                }
            }
            let inner = try sequence()
            guard try next() == ")" else { throw Unsupported(reason: "unclosed group") }
            return inner
        case ".": return .scalars(Self.complement(Self.lineTerminators))
        case "[": return try characterClass()
        case "\\": return try escape(inClass: false)
        case "^", "$", ")": throw Unsupported(reason: "anchor or parenthesis out of place")
        case "*", "+", "?": throw Unsupported(reason: "nothing to repeat")
        default: return .literal(String(Character(scalar)))
        }
    }

    private mutating func characterClass() throws -> RegexNode {
        var negated = false
        if peek == "^" { position += 1; negated = true }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            let scalar = try next()
            if scalar == "]" && !first { break }
            first = false
            var low: [ClosedRange<UInt32>]
            if scalar == "\\" {
                guard case .scalars(let escaped) = try escape(inClass: true) else { throw Unsupported(reason: "escape in class") }
                low = escaped
            } else {
                low = [scalar.value...scalar.value]
            }
            if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]", low.count == 1, low[0].count == 1 {
                position += 1
                var high = try next()
                if high == "\\" {
                    guard case .scalars(let escaped) = try escape(inClass: true), escaped.count == 1, escaped[0].count == 1,
                          let value = Unicode.Scalar(escaped[0].lowerBound) else { throw Unsupported(reason: "range") }
                    high = value
                }
                guard low[0].lowerBound <= high.value else { throw Unsupported(reason: "reversed range") }
                low = [low[0].lowerBound...high.value]
            }
            ranges += low
        }
        let set = RegexBuilding.normalized(ranges)
        return .scalars(negated ? Self.complement(set) : RegexDerivatives.intersect(set, RegexNode.anyScalar.scalarRanges))
    }

    private mutating func escape(inClass: Bool) throws -> RegexNode {
        let scalar = try next()
        func one(_ value: UInt32) -> RegexNode { .scalars([value...value]) }
        switch scalar {
        case "d": return .scalars(Self.digit)
        case "D": return .scalars(Self.complement(Self.digit))
        case "w": return .scalars(Self.word)
        case "W": return .scalars(Self.complement(Self.word))
        case "s": return .scalars(Self.space)
        case "S": return .scalars(Self.complement(Self.space))
        case "n": return one(10)
        case "r": return one(13)
        case "t": return one(9)
        case "f": return one(12)
        case "v": return one(11)
        case "0": return one(0)
        case "b" where inClass: return one(8)
        case "u", "x":
            var value: UInt32 = 0
            for _ in 0..<(scalar == "u" ? 4 : 2) {
                guard let digit = Int(String(try next()), radix: 16) else { throw Unsupported(reason: "hex escape") }
                value = value * 16 + UInt32(digit)
            }
            return one(value)
        default:
            if ("1"..."9").contains(scalar) || scalar == "b" || scalar == "B" || scalar == "p" || scalar == "P" || scalar == "k" {
                throw Unsupported(reason: "\\\(scalar)")
            }
            return one(scalar.value)
        }
    }
}
