import Foundation
import SwiftletJSON

extension TemplateValue {
    /// Parses JSON text (as in an OpenAI-style chat request) keeping object key order.
    /// Numbers without fraction or exponent become `.int` (as Python's `json.loads` does), others `.double`.
    public init(json: String) throws {
        self.init(try Self.parse { () throws(JSONParseError) in try JSONValue(parsing: json) })
    }

    /// Parses UTF-8 JSON data keeping object key order.
    public init(jsonData: Data) throws {
        self.init(try Self.parse { () throws(JSONParseError) in try JSONValue(parsing: jsonData) })
    }

    /// A parsed JSON value: objects keep their key order (a repeated key keeps its first position and its
    /// last value, as in a Python dict); integral numbers that fit in an `Int` become `.int`, others `.double`.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = number.int.map { .int($0) } ?? .double(number.double)
        case .string(let text): self = .string(text)
        case .array(let items): self = .array(items.map(TemplateValue.init))
        case .object(let members):
            var object = TemplateObject()
            for (key, value) in members { object[key] = TemplateValue(value) }
            self = .object(object)
        }
    }

    /// Runs a parse, turning its error into `TemplateError.invalidJSON` at the error's byte offset.
    private static func parse(_ body: () throws(JSONParseError) -> JSONValue) throws(TemplateError) -> JSONValue {
        do {
            return try body()
        } catch {
            throw .invalidJSON(message: error.message, offset: error.offset)
        }
    }
}
