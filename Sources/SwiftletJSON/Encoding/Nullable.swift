/// A JSON field that is always written: `null` or a value. (An optional property of a
/// synthesized conformance is left out when nil.) An optional `Nullable` gives the three states
/// of a pydantic field under `exclude_unset`: nil leaves the key out, `.null` writes null.
/// `Nullable<Never>` is a field that is always null.
public enum Nullable<Wrapped> {
    case null
    case some(Wrapped)

    /// `.null` for nil.
    public init(_ value: Wrapped?) {
        self = value.map { .some($0) } ?? .null
    }

    public var value: Wrapped? {
        if case .some(let wrapped) = self { return wrapped }
        return nil
    }
}

extension Nullable: Sendable where Wrapped: Sendable {}
extension Nullable: Equatable where Wrapped: Equatable {}

extension Nullable: Encodable where Wrapped: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .some(let wrapped): try container.encode(wrapped)
        }
    }
}

extension Nullable: Decodable where Wrapped: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .some(try container.decode(Wrapped.self))
    }
}
