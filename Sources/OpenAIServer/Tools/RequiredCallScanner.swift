import SwiftletJSON

/// Finds, in a growing prefix of a `"required"` answer (a JSON array of `{"name": ..., "parameters":
/// ...}` objects), where each call's name and parameters are. Offsets are UTF-8 offsets into the
/// text and do not change as the text grows, so a shorter prefix's spans are the longer one's cut
/// to it: that is what lets the stream send each call's name once and its arguments piece by piece.
struct RequiredCallScanner: Sendable {
    /// One element of the array.
    struct Span: Equatable, Sendable {
        /// Set once the name's string is closed.
        var name: String?
        var nameEnd: Int?
        /// Where the parameters value starts, and ends once it is complete.
        var argumentsStart: Int?
        var argumentsEnd: Int?

        /// The name is known and the parameters have begun.
        var isReady: Bool { name != nil && argumentsStart != nil }

        /// Whether the first `length` bytes of the text already made it ready.
        func wasReady(at length: Int) -> Bool {
            guard let nameEnd, let argumentsStart, name != nil else { return false }
            return nameEnd <= length && argumentsStart < length
        }
    }

    /// The spans of `text` (read from its start each time: answers are short).
    static func spans(of text: String) -> [Span] {
        var reader = Reader(bytes: Array(text.utf8))
        reader.run()
        return reader.spans
    }

    private struct Reader {
        let bytes: [UInt8]
        var spans: [Span] = []
        var depth = 0
        var position = 0
        /// At depth 2 (inside an element): the key being read or last read, and where its value began.
        var key: String?
        var valueStart: Int?
        var expectingKey = true

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func run() {
            while position < bytes.count {
                let byte = bytes[position]
                switch byte {
                case UInt8(ascii: "\""):
                    let start = position
                    guard let end = stringEnd(from: position) else { return }
                    position = end
                    if depth == 2 { stringAtElementLevel(start: start, end: end) }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    if depth == 1 && byte == UInt8(ascii: "{") {
                        spans.append(Span())
                        key = nil
                        expectingKey = true
                    } else if depth == 2 {
                        valueBegins(at: position)
                    }
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 2 { valueEnds(at: lastNonSpace(before: position)) }
                    depth -= 1
                    if depth == 2 { valueEnds(at: position + 1) }
                case UInt8(ascii: ","):
                    if depth == 2 {
                        valueEnds(at: lastNonSpace(before: position))
                        expectingKey = true
                    }
                case UInt8(ascii: ":"):
                    if depth == 2 { expectingKey = false }
                case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                    break
                default:
                    if depth == 2 && !expectingKey { valueBegins(at: position) }
                }
                position += 1
            }
        }

        /// Just past the closing quote of the string opening at `start`; nil while it is open.
        func stringEnd(from start: Int) -> Int? {
            var index = start + 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""): return index + 1
                default: index += 1
                }
            }
            return nil
        }

        mutating func stringAtElementLevel(start: Int, end: Int) {
            let text = try? JSONValue(parsing: bytes[start..<end])
            if expectingKey {
                key = text?.stringValue
                valueStart = nil
                return
            }
            valueBegins(at: start)
            if key == "name", spans.last?.name == nil, let name = text?.stringValue {
                spans[spans.count - 1].name = name
                spans[spans.count - 1].nameEnd = end
            }
            valueEnds(at: end)
        }

        mutating func valueBegins(at offset: Int) {
            guard valueStart == nil, !spans.isEmpty else { return }
            valueStart = offset
            if key == "parameters", spans[spans.count - 1].argumentsStart == nil {
                spans[spans.count - 1].argumentsStart = offset
            }
        }

        mutating func valueEnds(at offset: Int) {
            guard valueStart != nil, !spans.isEmpty else { return }
            if key == "parameters", spans[spans.count - 1].argumentsEnd == nil {
                spans[spans.count - 1].argumentsEnd = offset
            }
            valueStart = nil
            key = nil
        }

        func lastNonSpace(before offset: Int) -> Int {
            var index = offset
            while index > 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index - 1]) { index -= 1 }
            return index
        }
    }
}
