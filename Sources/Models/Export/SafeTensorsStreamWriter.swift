import Foundation
import ModelFormats

/// Writes a safetensors file whose tensors are produced one after another, so a large
/// checkpoint never has to sit in memory: the header (names, dtypes, shapes, offsets) is
/// written first, then each tensor's bytes in the declared order.
final class SafeTensorsStreamWriter {
    struct Entry {
        let name: String
        let dtype: SafeTensorsDType
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
        let prefix = SafeTensorsWriter.headerBytes(
            for: entries.map { SafeTensorsWriter.TensorEntry(name: $0.name, dtype: $0.dtype, shape: $0.shape, byteCount: $0.byteCount) },
            metadata: metadata)
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: url.path) else {
            throw GGUFToHFError.cannotWrite(path: url.path, reason: "cannot create the file")
        }
        self.handle = handle
        try write(raw: prefix)
        fileSize = prefix.count + entries.reduce(0) { $0 + $1.byteCount }
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
}
