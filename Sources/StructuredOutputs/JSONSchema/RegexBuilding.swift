/// A few short spellings for writing fixed regexes (string formats, JSON tokens) as `RegexNode`
/// trees in Swift, without a regex parser.
enum RegexBuilding {
    /// One scalar from a class written like a regex class body without brackets or escapes:
    /// `"0-9a-fA-F"`, `"+.-"` (a `-` first or last is itself).
    static func set(_ body: String) -> RegexNode {
        let scalars = Array(body.unicodeScalars)
        var ranges: [ClosedRange<UInt32>] = []
        var index = 0
        while index < scalars.count {
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index].value <= scalars[index + 2].value {
                ranges.append(scalars[index].value...scalars[index + 2].value)
                index += 3
            } else {
                ranges.append(scalars[index].value...scalars[index].value)
                index += 1
            }
        }
        return .scalars(normalized(ranges))
    }

    /// Sorted, merged ranges (touching or overlapping ones joined).
    static func normalized(_ ranges: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var result: [ClosedRange<UInt32>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound &+ 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    static func seq(_ parts: RegexNode...) -> RegexNode { .concat(parts) }
    static func alt(_ options: RegexNode...) -> RegexNode { .alternation(options) }
    static func lit(_ text: String) -> RegexNode { .literal(text) }
    static func opt(_ node: RegexNode) -> RegexNode { .optional(node) }
    static func star(_ node: RegexNode) -> RegexNode { .zeroOrMore(node) }
    static func plus(_ node: RegexNode) -> RegexNode { .oneOrMore(node) }
    static func rep(_ node: RegexNode, _ min: Int, _ max: Int?) -> RegexNode { .repetition(node, min: min, max: max) }
}
