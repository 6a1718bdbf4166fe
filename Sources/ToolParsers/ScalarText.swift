/// Matching fixed tags in text held as Unicode scalars (Python compares strings by code point, so the
/// parsers do too, not by Swift's grapheme clusters).
enum ScalarText {
    /// The position of the first `tag` in `text` at or after `start`, or nil.
    static func find(_ tag: [Unicode.Scalar], in text: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard !tag.isEmpty, text.count >= tag.count, start <= text.count - tag.count else { return nil }
        for position in start...(text.count - tag.count) where text[position] == tag[0] {
            if text[position..<(position + tag.count)].elementsEqual(tag) { return position }
        }
        return nil
    }

    /// How many scalars at the end of `text` could be the start of `tag` (a proper prefix of it).
    static func partialTagLength(_ tag: [Unicode.Scalar], atEndOf text: ArraySlice<Unicode.Scalar>) -> Int {
        var length = min(tag.count - 1, text.count)
        while length > 0 {
            if text.suffix(length).elementsEqual(tag.prefix(length)) { return length }
            length -= 1
        }
        return 0
    }

    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }
}
