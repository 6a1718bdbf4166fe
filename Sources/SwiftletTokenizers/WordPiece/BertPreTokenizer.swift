/// tokenizer.json's `BertPreTokenizer`: words are split at white space (dropped) and every
/// punctuation character (ASCII punctuation or a Unicode "P" category) is a word of its own.
enum BertPreTokenizer {
    static func words(_ text: String) -> [Substring.UnicodeScalarView] {
        let scalars = text.unicodeScalars
        var words: [Substring.UnicodeScalarView] = []
        var start: String.UnicodeScalarView.Index?
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            if scalar.properties.isWhitespace {
                if let begin = start { words.append(scalars[begin..<index]) }
                start = nil
            } else if isPunctuation(scalar) {
                if let begin = start { words.append(scalars[begin..<index]) }
                words.append(scalars[index..<next])
                start = nil
            } else if start == nil {
                start = index
            }
            index = next
        }
        if let begin = start { words.append(scalars[begin..<scalars.endIndex]) }
        return words
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            switch scalar.value {
            case 33...47, 58...64, 91...96, 123...126: return true
            default: return false
            }
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}
