/// Splits streamed text at a fixed token (`[TOOL_CALLS]`), holding back an end that may be the start
/// of one until more text comes.
struct TokenSplitter {
    enum Piece: Equatable {
        case text(ArraySlice<Unicode.Scalar>)
        case token([Unicode.Scalar])

        var scalars: [Unicode.Scalar] {
            switch self {
            case .text(let text): return Array(text)
            case .token(let token): return token
            }
        }
    }

    private let token: [Unicode.Scalar]
    private var held: [Unicode.Scalar] = []

    init(token: String) {
        self.token = Array(token.unicodeScalars)
    }

    mutating func push(_ text: String) -> [Piece] {
        held.append(contentsOf: text.unicodeScalars)
        return split(atEnd: false)
    }

    /// The text ended: what was held back is text.
    mutating func flush() -> [Piece] {
        split(atEnd: true)
    }

    private mutating func split(atEnd: Bool) -> [Piece] {
        var pieces: [Piece] = []
        var start = 0
        while let found = ScalarText.find(token, in: held, from: start) {
            if found > start { pieces.append(.text(held[start..<found])) }
            pieces.append(.token(token))
            start = found + token.count
        }
        let keep = atEnd ? 0 : ScalarText.partialTagLength(token, atEndOf: held[start...])
        if held.count - keep > start { pieces.append(.text(held[start..<(held.count - keep)])) }
        held = Array(held.suffix(keep))
        return pieces
    }
}
