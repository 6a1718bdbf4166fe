/// Integer fields that report a fractional or out-of-range number as a type mismatch at
/// that key. (Foundation's JSONDecoder reports `4.5` for an `Int` as corrupt data with no
/// key, which would leave the user without the field's name.)
extension KeyedDecodingContainer {
    func decodeInteger(forKey key: Key) throws -> Int {
        guard let value = try decodeIntegerIfPresent(forKey: key) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "required"))
        }
        return value
    }

    func decodeIntegerIfPresent(forKey key: Key) throws -> Int? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let exact = try? decode(Int.self, forKey: key) { return exact }
        let found = (try? decode(Double.self, forKey: key)).map { "\($0)" } ?? "not a number"
        throw DecodingError.typeMismatch(Int.self, DecodingError.Context(
            codingPath: codingPath + [key], debugDescription: "\(found) is not an integer"))
    }
}
