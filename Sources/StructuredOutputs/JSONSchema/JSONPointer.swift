/// A JSON pointer (RFC 6901) into a schema, built as the compiler walks it: "" is the whole
/// document, "/properties/a~1b" the property `a/b`.
struct JSONPointer: Hashable, Sendable, CustomStringConvertible {
    private(set) var tokens: [String] = []

    init() {}

    init(tokens: [String]) { self.tokens = tokens }

    /// The pointer one level down, at an object member or an array index.
    func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    var description: String {
        var text = ""
        for token in tokens {
            text += "/"
            for character in token.unicodeScalars {
                switch character {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.unicodeScalars.append(character)
                }
            }
        }
        return text
    }

    /// Parses the pointer text of a `$ref` fragment (already percent-decoded); nil when malformed
    /// (not starting with "/", or a "~" not followed by 0 or 1).
    init?(parsing text: String) {
        if text.isEmpty { return }
        guard text.hasPrefix("/") else { return nil }
        var tokens: [String] = []
        for part in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            var token = ""
            var iterator = part.unicodeScalars.makeIterator()
            while let scalar = iterator.next() {
                guard scalar == "~" else { token.unicodeScalars.append(scalar); continue }
                switch iterator.next() {
                case "0": token += "~"
                case "1": token += "/"
                default: return nil
                }
            }
            tokens.append(token)
        }
        self.tokens = tokens
    }
}
