import Foundation

extension TemplateValue {
    /// Converts `JSONSerialization` output (`NSNull`, `NSNumber`, `String`, arrays, dictionaries).
    /// Foundation dictionaries have no key order, so object keys come out sorted; prefer
    /// `TemplateValue(json:)` when `tojson` output must keep the request's key order.
    public init(jsonObject: Any) throws {
        switch jsonObject {
        case is NSNull:
            self = .null
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": self = .bool(number.boolValue)
            case "d", "f": self = .double(number.doubleValue)
            default: self = .int(number.intValue)
            }
        case let array as [Any]:
            self = .array(try array.map { try TemplateValue(jsonObject: $0) })
        case let dictionary as [String: Any]:
            var object = TemplateObject()
            for key in dictionary.keys.sorted() {
                if let item = dictionary[key] { object[key] = try TemplateValue(jsonObject: item) }
            }
            self = .object(object)
        default:
            throw TemplateError.invalidJSON(message: "unsupported value of type \(type(of: jsonObject))", offset: 0)
        }
    }

    /// An object from a Swift dictionary (e.g. a chat message built in code). Swift dictionaries have no order, so keys are laid out as
    /// `role`, `content`, then the rest sorted, which keeps renders deterministic.
    public init(message: [String: TemplateValue]) {
        var object = TemplateObject()
        for key in ["role", "content"] { if let value = message[key] { object[key] = value } }
        for key in message.keys.sorted() where key != "role" && key != "content" { object[key] = message[key] }
        self = .object(object)
    }
}
