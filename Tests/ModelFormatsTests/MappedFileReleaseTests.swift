import Foundation
import ModelFormats
import Testing

/// `MappedFile.releaseResidentPages`: the released pages leave this process's resident memory
/// (the mapping's own Rss in /proc/self/smaps), and the contents read back unchanged.
struct MappedFileReleaseTests {
    /// Resident kilobytes of the mapping that starts at `base` (Linux), or nil.
    static func residentKiB(ofMappingAt base: UnsafeRawPointer) -> Int? {
        // /proc files report size 0, so they are read line by line
        guard let handle = fopen("/proc/self/smaps", "r") else { return nil }
        defer { fclose(handle) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), handle) != nil { lines.append(String(cString: buffer)) }
        let start = String(UInt(bitPattern: base), radix: 16)
        var inMapping = false
        for line in lines {
            if let dash = line.firstIndex(of: "-"), line[..<dash].allSatisfy(\.isHexDigit) {
                let from = line[..<dash].drop { $0 == "0" }
                inMapping = from == start[...].drop { $0 == "0" }
            } else if inMapping, line.hasPrefix("Rss:") {
                return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
            }
        }
        return nil
    }

    @Test func releasedPagesLeaveMemoryAndReadBackUnchanged() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let bytes = (0..<(8 * page)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 12) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("release-\(UUID().uuidString).bin")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try MappedFile(path: url.path)
        let base = try #require(file.bytes.baseAddress)
        var sum = 0
        for i in stride(from: 0, to: file.count, by: page) { sum &+= Int(file.bytes[i]) }  // touch every page
        #expect(sum != 0)
        #if os(Linux)
        #expect(Self.residentKiB(ofMappingAt: base) == 8 * page / 1024)
        #endif
        // pages 2..<7 lie wholly inside [page + 100, 7 * page + 5); pages 1 and 7 only partly
        let released = file.releaseResidentPages(UnsafeRawBufferPointer(start: base + page + 100, count: 6 * page - 95))
        #expect(released == 5 * page)
        #if os(Linux)
        #expect(Self.residentKiB(ofMappingAt: base) == 3 * page / 1024)
        #endif
        #expect(Array(file.bytes) == bytes)
        // outside the mapping: nothing
        let other = [UInt8](repeating: 1, count: 4 * page)
        other.withUnsafeBytes { #expect(file.releaseResidentPages($0) == 0) }
    }

    @Test func anOwnedCopyKeepsItsMemory() {
        let bytes = [UInt8](repeating: 7, count: 1 << 16)
        let file = MappedFile(copying: bytes, name: "copy")
        #expect(file.releaseResidentPages(file.bytes) == 0)
        #expect(Array(file.bytes) == bytes)
    }
}
