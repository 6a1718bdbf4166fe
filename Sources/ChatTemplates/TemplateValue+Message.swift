extension TemplateValue {
    /// An object from a Swift dictionary (e.g. a chat message built in code). Swift dictionaries have no order, so keys are laid out as
    /// `role`, `content`, then the rest sorted, which keeps renders deterministic.
    public init(message: [String: TemplateValue]) {
        var object = TemplateObject()
        for key in ["role", "content"] { if let value = message[key] { object[key] = value } }
        for key in message.keys.sorted() where key != "role" && key != "content" { object[key] = message[key] }
        self = .object(object)
    }
}
