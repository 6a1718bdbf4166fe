/// An output with its first start tag (and what came before it) dropped, as vLLM's
/// `model_output.partition(start_token)` does.
struct ThinkTagSplit {
    /// The text after the first start tag, or all of it without one. [scalars]
    let scalars: [Unicode.Scalar]
    private let endTag: [Unicode.Scalar]

    init(_ text: String, startTag: String, endTag: String) {
        let all = Array(text.unicodeScalars)
        let start = Array(startTag.unicodeScalars)
        if let index = TagSearch.firstIndex(of: start, in: all) {
            scalars = Array(all[(index + start.count)...])
        } else {
            scalars = all
        }
        self.endTag = Array(endTag.unicodeScalars)
    }

    var body: String { String(scalars: scalars) }

    /// The text before and after the first end tag (the latter nil when empty); nil without one.
    var aroundEndTag: (String, String?)? {
        guard let index = TagSearch.firstIndex(of: endTag, in: scalars) else { return nil }
        let after = String(scalars: scalars[(index + endTag.count)...])
        return (String(scalars: scalars[..<index]), after.isEmpty ? nil : after)
    }
}
