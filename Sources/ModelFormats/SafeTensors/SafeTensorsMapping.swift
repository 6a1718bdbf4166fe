#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes of one safetensors file: an mmap of the file, or an owned heap copy for
/// files built in memory. The bytes live exactly as long as this object.
final class SafeTensorsMapping: @unchecked Sendable {
    /// Start of the bytes; nil when `count` is 0.
    let base: UnsafeRawPointer?
    /// Number of bytes.
    let count: Int
    private let isMapped: Bool

    /// Maps `path` read-only. Throws `SafeTensorsError.io` when it cannot be opened or mapped.
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw SafeTensorsError.io(file: path, reason: "cannot open (errno \(errno))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafeTensorsError.io(file: path, reason: "cannot stat (errno \(errno))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw SafeTensorsError.io(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        count = size
        isMapped = size > 0
        guard size > 0 else {
            base = nil
            return
        }
        let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else {
            throw SafeTensorsError.io(file: path, reason: "cannot mmap (errno \(errno))")
        }
        base = UnsafeRawPointer(pointer)
    }

    /// Copies `bytes` into memory owned by this object.
    init(copying bytes: [UInt8]) {
        count = bytes.count
        isMapped = false
        guard !bytes.isEmpty else {
            base = nil
            return
        }
        let memory = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { source in
            if let start = source.baseAddress { memory.copyMemory(from: start, byteCount: source.count) }
        }
        base = UnsafeRawPointer(memory)
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// All bytes as one buffer.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
