/// A bounds-checked little-endian reader over a GGUF file's bytes. Every read checks the
/// remaining length first and throws `GGUFError.truncated` instead of reading past the end.
struct GGUFByteCursor {
    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset: Int = 0

    init(bytes: UnsafeRawBufferPointer, path: String) {
        self.bytes = bytes
        self.path = path
    }

    /// Bytes left after the current offset.
    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are available.
    func require(_ count: Int, reading what: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw GGUFError.truncated(path: path, offset: offset, reading: what())
        }
    }

    mutating func skip(_ count: Int, reading what: @autoclosure () -> String) throws {
        try require(count, reading: what())
        offset += count
    }

    mutating func readInteger<T: FixedWidthInteger>(
        _: T.Type, reading what: @autoclosure () -> String
    ) throws -> T {
        try require(MemoryLayout<T>.size, reading: what())
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func readUInt32(_ what: @autoclosure () -> String) throws -> UInt32 {
        try readInteger(UInt32.self, reading: what())
    }

    mutating func readUInt64(_ what: @autoclosure () -> String) throws -> UInt64 {
        try readInteger(UInt64.self, reading: what())
    }

    /// Checks that `count` items of at least `minSize` bytes each can fit in the remaining
    /// bytes, before anything is allocated for them; returns the count as Int.
    func checkCount(_ count: UInt64, minSize: Int, at countOffset: Int, what: @autoclosure () -> String) throws -> Int {
        let limit = UInt64(remaining / max(minSize, 1))
        guard count <= limit else {
            throw GGUFError.absurdCount(
                path: path, offset: countOffset, what: what(), count: count, remainingBytes: remaining)
        }
        return Int(count)
    }

    /// Reads a GGUF string: u64 length, then that many UTF-8 bytes. Invalid UTF-8 is decoded
    /// lossily (each bad sequence becomes U+FFFD).
    mutating func readString(_ what: @autoclosure () -> String) throws -> String {
        let lengthOffset = offset
        let length = try readUInt64("length of \(what())")
        let count = try checkCount(length, minSize: 1, at: lengthOffset, what: "length of \(what())")
        let start = offset
        offset += count
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<start + count]), as: UTF8.self)
    }

    /// Reads `count` little-endian 4-byte values (already checked by `checkCount`).
    mutating func readWords<T>(_ count: Int, _ convert: (UInt32) -> T) -> [T] {
        let start = offset
        offset += count * 4
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count {
                let raw = bytes.loadUnaligned(fromByteOffset: start + i * 4, as: UInt32.self)
                buffer[i] = convert(UInt32(littleEndian: raw))
            }
            initialized = count
        }
    }
}
