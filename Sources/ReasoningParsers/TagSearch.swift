/// Tag search over Unicode scalars, as Python compares code points: a combining mark after a tag
/// does not hide the tag, as it would from a `Character` comparison.
enum TagSearch {
    /// The first index at or after `start` where `tag` occurs in `text`.
    static func firstIndex(of tag: [Unicode.Scalar], in text: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard !tag.isEmpty, text.count >= tag.count, start >= 0 else { return nil }
        var index = start
        while index + tag.count <= text.count {
            if matches(tag, in: text, at: index) { return index }
            index += 1
        }
        return nil
    }

    /// The last index where `tag` occurs in `text`.
    static func lastIndex(of tag: [Unicode.Scalar], in text: [Unicode.Scalar]) -> Int? {
        guard !tag.isEmpty, text.count >= tag.count else { return nil }
        var index = text.count - tag.count
        while index >= 0 {
            if matches(tag, in: text, at: index) { return index }
            index -= 1
        }
        return nil
    }

    /// True when `tag` occurs in `text` at `index`.
    static func matches(_ tag: [Unicode.Scalar], in text: [Unicode.Scalar], at index: Int) -> Bool {
        guard index >= 0, index + tag.count <= text.count else { return false }
        for offset in 0..<tag.count where text[index + offset] != tag[offset] { return false }
        return true
    }

    /// The length of the longest tail of `text` that is a proper start of one of `tags`: the part
    /// a streaming parser must hold back because the next piece may complete the tag.
    static func partialTagLength(_ text: [Unicode.Scalar], tags: [[Unicode.Scalar]]) -> Int {
        let longest = tags.map { $0.count - 1 }.max() ?? 0
        var length = min(longest, text.count)
        while length > 0 {
            let tail = text[(text.count - length)...]
            if tags.contains(where: { $0.count > length && $0[..<length].elementsEqual(tail) }) { return length }
            length -= 1
        }
        return 0
    }
}

extension String {
    init<S: Sequence<Unicode.Scalar>>(scalars: S) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self = String(view)
    }
}
