/// A token id field that config files write either as one integer or as a list
/// (`"eos_token_id": 2` or `"eos_token_id": [128001, 128008, 128009]`).
public struct TokenIDList: Codable, Sendable, Equatable {
    /// The ids, in file order.
    public var ids: [Int]

    public init(_ ids: [Int]) {
        self.ids = ids
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(Int.self) {
            ids = [single]
        } else {
            ids = try container.decode([Int].self)
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if ids.count == 1 { try container.encode(ids[0]) } else { try container.encode(ids) }
    }
}
