/// The GPT-2 byte-to-character map: every byte gets a printable Unicode character, so that byte-level
/// BPE tokens are ordinary strings. Printable Latin-1 bytes map to themselves; the other 68 bytes map,
/// in byte order, to U+0100, U+0101, ...
enum ByteLevelAlphabet {
    /// Character (scalar value) for each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// Byte for a character of the alphabet, or nil when the scalar is not one of the 256.
    @inline(__always)
    static func byte(forScalar value: UInt32) -> UInt8? {
        if value < 256 {
            let byte = UInt8(value)
            return scalarForByte[Int(byte)] == value ? byte : nil
        }
        if value < 256 + 68, let index = byteForHighScalar[Int(value - 256)] { return index }
        return nil
    }

    private static let byteForHighScalar: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 68)
        for byte in 0..<256 where scalarForByte[byte] >= 256 {
            table[Int(scalarForByte[byte] - 256)] = UInt8(byte)
        }
        return table
    }()

    /// Raw bytes of a byte-level token text, or nil when some character is outside the alphabet.
    static func bytes(ofTokenText text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard let byte = byte(forScalar: scalar.value) else { return nil }
            out.append(byte)
        }
        return out
    }

    /// The token text for raw bytes.
    static func tokenText(ofBytes bytes: some Sequence<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if let scalar = Unicode.Scalar(scalarForByte[Int(byte)]) { scalars.append(scalar) }
        }
        return String(scalars)
    }
}
