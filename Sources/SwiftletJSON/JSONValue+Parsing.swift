/// Reading a document: UTF-8 bytes or text in, one `JSONValue` or a `JSONParseError` with its position out.
extension JSONValue {
    /// Deepest nesting of arrays and objects a document may have.
    public static let maxNestingDepth = 256

    /// Parses a UTF-8 JSON document (RFC 8259, strict; see `JSONParseError` for positions).
    public init(parsing bytes: UnsafeBufferPointer<UInt8>) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.parseDocument()
    }

    /// Parses a UTF-8 JSON document held in raw memory (the bytes of a `Data`, a mapped file).
    public init(parsing bytes: UnsafeRawBufferPointer) throws(JSONParseError) {
        let result = bytes.withMemoryRebound(to: UInt8.self) { Self.parseResult($0) }
        self = try result.get()
    }

    /// Parses a JSON document given as text.
    public init(parsing text: String) throws(JSONParseError) {
        var text = text
        self = try text.withUTF8 { Self.parseResult($0) }.get()
    }

    /// Parses a UTF-8 JSON document from any byte sequence (`[UInt8]`, `Data`, a slice); contiguous
    /// storage is read in place, anything else is copied once.
    public init<Bytes: Sequence<UInt8>>(parsing bytes: Bytes) throws(JSONParseError) {
        let result = bytes.withContiguousStorageIfAvailable { Self.parseResult($0) }
            ?? Array(bytes).withUnsafeBufferPointer { Self.parseResult($0) }
        self = try result.get()
    }

    private static func parseResult(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        do throws(JSONParseError) {
            return .success(try JSONValue(parsing: bytes))
        } catch {
            return .failure(error)
        }
    }
}
