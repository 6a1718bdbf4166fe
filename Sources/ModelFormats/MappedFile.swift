#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be mapped into memory.
public enum MappedFileError: Error, CustomStringConvertible, Equatable {
    /// `open(2)` failed; `reason` is the system's message.
    case cannotOpen(path: String, reason: String)
    /// The path names something other than a regular file (a directory, a device).
    case notARegularFile(path: String)
    /// `fstat(2)` or `mmap(2)` failed.
    case cannotMap(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \(path): \(reason)"
        case .notARegularFile(let path):
            return "\(path) is not a regular file"
        case .cannotMap(let path, let reason):
            return "cannot map \(path) into memory: \(reason)"
        }
    }
}

/// A whole file mapped read-only into memory; unmapped when the last reference goes away.
///
/// The mapping is private and read-only, so sharing it between threads is safe.
/// A zero-size file gives an empty `bytes` buffer (no mapping is made). `init(copying:name:)`
/// holds bytes built in memory instead (tests, tools), with the same interface.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened with.
    public let path: String
    /// The file's bytes; valid for the lifetime of this object.
    public let bytes: UnsafeRawBufferPointer

    /// The file size in bytes.
    public var count: Int { bytes.count }

    /// True when `bytes` is an mmap of a file; false for an owned copy.
    private let isMapped: Bool

    /// Holds a copy of `bytes` in memory owned by this object; `name` stands in for the path.
    public init(copying source: [UInt8], name: String) {
        path = name
        isMapped = false
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: source.count, alignment: 64)
        memory.copyBytes(from: source)
        bytes = UnsafeRawBufferPointer(memory)
    }

    /// Opens and maps the file at `path`.
    public init(path: String) throws {
        self.path = path
        isMapped = true
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw MappedFileError.cannotOpen(path: path, reason: MappedFile.systemMessage())
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            throw MappedFileError.cannotMap(path: path, reason: MappedFile.systemMessage())
        }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw MappedFileError.notARegularFile(path: path)
        }
        let size = Int(info.st_size)
        if size <= 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw MappedFileError.cannotMap(path: path, reason: MappedFile.systemMessage())
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    /// Lets the system drop the pages lying wholly inside `range` (a part of `bytes`) from this
    /// process's resident memory, for data copied elsewhere (packed weights). A mapped file reads
    /// them back if they are touched again, so the contents never change. Returns the bytes
    /// released: 0 for an owned copy (its memory must keep its contents) or a range outside.
    @discardableResult
    public func releaseResidentPages(_ range: UnsafeRawBufferPointer) -> Int {
        guard isMapped, let base = bytes.baseAddress, let start = range.baseAddress,
              start >= base, start + range.count <= base + bytes.count else { return 0 }
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 1)
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + range.count) / page * page
        guard end > first, let at = UnsafeMutableRawPointer(bitPattern: first),
              madvise(at, end - first, Int32(MADV_DONTNEED)) == 0 else { return 0 }
        return end - first
    }

    /// Reads one byte of every page of `range`, so the pages of a mapping are resident from now on
    /// instead of faulting in on first use. Returns a fold of the bytes read (it keeps the reads).
    @discardableResult
    public static func prefault(_ range: UnsafeRawBufferPointer) -> UInt8 {
        let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 1)
        var fold: UInt8 = 0
        var offset = 0
        while offset < range.count {
            fold ^= range[offset]
            offset += page
        }
        return fold
    }

    deinit {
        if !isMapped {
            UnsafeMutableRawBufferPointer(mutating: bytes).deallocate()
        } else if let base = bytes.baseAddress, bytes.count > 0 {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    private static func systemMessage() -> String {
        let code = errno
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text) + " (errno \(code))"
    }
}
