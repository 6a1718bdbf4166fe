import Foundation

/// Writes a safetensors file whose tensors are produced one after another, so a large
/// checkpoint never has to sit in memory: the header (names, dtypes, shapes, offsets) is
/// written first, then each tensor's bytes in the declared order.
final class SafeTensorsStreamWriter {
    struct Entry {
        let name: String
        /// "F32" or "BF16".
        let dtype: String
        let shape: [Int]
        let byteCount: Int
    }

    let url: URL
    private let handle: FileHandle
    private let entries: [Entry]
    private var current = 0
    private var writtenInCurrent = 0
    /// Bytes of the whole file.
    private(set) var fileSize = 0

    /// Creates the file and writes the header for `entries`.
    init(url: URL, entries: [Entry], metadata: [String: String]) throws {
        self.url = url
        self.entries = entries
        var fields = ["\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }
            .map { "\(Self.quoted($0.key)):\(Self.quoted($0.value))" }.joined(separator: ",") + "}"]
        var offset = 0
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\(Self.quoted(entry.name)):{\"dtype\":\"\(entry.dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.byteCount)]}")
            offset += entry.byteCount
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "cannot create the file")
        }
        self.handle = handle
        var prefix: [UInt8] = []
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { prefix.append(contentsOf: $0) }
        try write(raw: prefix + header)
        fileSize = 8 + header.count + offset
    }

    /// Appends bytes of the current tensor (tensors are filled strictly in order).
    func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard current < entries.count, writtenInCurrent + bytes.count <= entries[current].byteCount else {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "more tensor bytes than the header declares")
        }
        try write(raw: bytes)
        writtenInCurrent += bytes.count
        if writtenInCurrent == entries[current].byteCount {
            current += 1
            writtenInCurrent = 0
        }
    }

    /// Checks every declared tensor was written and closes the file.
    func finish() throws {
        defer { try? handle.close() }
        guard current == entries.count else {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "tensor '\(entries[current].name)' was not fully written")
        }
    }

    private func write(raw bytes: some DataProtocol) throws {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "\(error)")
        }
    }

    /// A JSON string literal (names here are ASCII, but quote defensively).
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
