/// Unicode classes the pre-tokenizer patterns test: letters (\p{L}), numbers (\p{N}), white space (\s).
enum ScalarClass {
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let whitespace: UInt8 = 4

    private static let asciiTable: [UInt8] = (0..<128).map { classify(UInt32($0)) }

    /// The class bits of a scalar value.
    @inline(__always)
    static func of(_ value: UInt32) -> UInt8 {
        if value < 128 { return asciiTable[Int(value)] }
        return classify(value)
    }

    private static func classify(_ value: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        let properties = scalar.properties
        if properties.isWhitespace { return whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return number
        default:
            return 0
        }
    }
}
