/// A JSON number kept exactly as written: the literal's text, plus the readings most callers want.
///
/// The text is the exact decimal value, so a grammar or JSON Schema check (`multipleOf`, integers beyond
/// 64 bits, bounds) can work on it without the rounding of a `Double`.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// An integer literal that fits is kept as its value (its text is its decimal spelling again); any
    /// other literal as its text. So two numbers have the same storage exactly when their texts are equal.
    private enum Storage: Sendable, Hashable {
        case int(Int)
        case literal(String, isInteger: Bool)
    }

    private let storage: Storage

    /// Made by the parser from a checked literal that is not an integer fitting in an `Int` (or is "-0",
    /// the one integral literal that does not spell its value again).
    init(literal text: String, isInteger: Bool) {
        storage = .literal(text, isInteger: isInteger)
    }

    /// The number of a JSON number literal (RFC 8259: no leading `+`, no leading zeros, digits on both
    /// sides of `.`); nil for any other text, including surrounding whitespace.
    public init?(_ text: String) {
        guard let value = try? JSONValue(parsing: text), case .number(let number) = value,
              number.text.utf8.count == text.utf8.count
        else { return nil }
        self = number
    }

    /// The number with the decimal text of `value`.
    public init(_ value: Int) {
        storage = .int(value)
    }

    /// The literal exactly as it stands in the document, e.g. `-0`, `1.50` or `2E+3`.
    public var text: String {
        switch storage {
        case .int(let value): return String(value)
        case .literal(let text, _): return text
        }
    }

    /// The value as an `Int` when the literal has neither fraction nor exponent and fits in an `Int`
    /// (where Python's `json.loads` gives an `int`); nil otherwise, e.g. for `1.0`, `1e3` or `2**64`.
    public var int: Int? {
        switch storage {
        case .int(let value): return value
        case .literal(let text, let isInteger): return isInteger ? Int(text) : nil
        }
    }

    /// Whether the literal has neither fraction nor exponent (it may still be too large for `int`).
    public var isInteger: Bool {
        switch storage {
        case .int: return true
        case .literal(_, let isInteger): return isInteger
        }
    }

    /// The nearest `Double` (correctly rounded); magnitudes beyond `Double`'s range give infinity, as
    /// Python's `float` does.
    public var double: Double {
        switch storage {
        case .int(let value): return Double(value)
        // The text is a valid literal, which Swift's parser always reads.
        case .literal(let text, _): return Double(text) ?? .nan
        }
    }

    /// The literal text.
    public var description: String { text }
}

extension JSONNumber: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }

    /// The number whose text is Swift's shortest round-tripping spelling of `value` (`0.1`, `1e-05`).
    public init(floatLiteral value: Double) {
        storage = .literal("\(value)", isInteger: false)
    }
}
