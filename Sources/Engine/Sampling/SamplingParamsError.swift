/// A sampling parameter outside its range.
public enum SamplingParamsError: Error, CustomStringConvertible, Equatable {
    case outOfRange(field: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .outOfRange(let field, let value, let expected):
            return "\(field) must be \(expected), got \(value)"
        }
    }
}
