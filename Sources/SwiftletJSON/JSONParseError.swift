/// Why a document is not JSON, and where: the byte offset of the problem, and its line and column.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, e.g. "expected ',' or ']' in array" or "unterminated string".
    public var message: String
    /// Byte offset of the problem from the start of the document (the document's length at its end).
    public var offset: Int
    /// 1-based line; a line ends at "\n", "\r\n" or a lone "\r".
    public var line: Int
    /// 1-based column, counted in Unicode scalars from the start of the line.
    public var column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// The error at `offset` in `bytes`, with its line and column worked out.
    init(message: String, offset: Int, in bytes: UnsafeBufferPointer<UInt8>) {
        var line = 1
        var lineStart = 0
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            let byte = bytes[index]
            index += 1
            if byte == 0x0A || (byte == 0x0D && (index == bytes.count || bytes[index] != 0x0A)) {
                line += 1
                lineStart = index
            }
        }
        var column = 1
        for byte in bytes[lineStart..<end] where byte & 0xC0 != 0x80 { column += 1 }
        self.init(message: message, offset: offset, line: line, column: column)
    }

    /// "message at line L, column C (byte O)".
    public var description: String {
        "\(message) at line \(line), column \(column) (byte \(offset))"
    }
}
