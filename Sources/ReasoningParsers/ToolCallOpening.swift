/// Qwen3's implicit end of reasoning: a "<tool_call>" tag counts as the end of reasoning only
/// when "<function" and then whitespace or "=" follow it after optional whitespace (vLLM
/// `qwen3_reasoning_parser.py`: `<function[\s=]` matched against the text after the tag,
/// left-stripped), so a tag merely mentioned while reasoning does not end it.
enum ToolCallOpening {
    static let tag = Array("<tool_call>".unicodeScalars)
    static let closingTag = Array("</tool_call>".unicodeScalars)
    private static let function = Array("<function".unicodeScalars)

    enum Verdict: Equatable {
        case genuine, notGenuine, undecided
    }

    /// The verdict on the text after a "<tool_call>" tag. With `final`, nothing more will come,
    /// so what is still open is not genuine.
    static func verdict<C: Collection<Unicode.Scalar>>(after text: C, final: Bool) -> Verdict {
        let rest = Array(text.drop(while: isPythonSpace))
        let open: Verdict = final ? .notGenuine : .undecided
        guard rest.count > function.count else {
            return function.starts(with: rest) ? open : .notGenuine
        }
        guard rest.starts(with: function) else { return .notGenuine }
        let next = rest[function.count]
        return next == "=" || isPythonSpace(next) ? .genuine : .notGenuine
    }

    /// Python's whitespace (`str.isspace`, regex `\s`): Unicode White_Space plus the separators
    /// U+001C to U+001F.
    static func isPythonSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
    }
}
