import Foundation
import KVEvents

/// A disk tier for the prefix cache (vLLM's KV offloading, on local files): every block the cache
/// publishes is also written to `directory` under its sha256_cbor digest, and a request whose
/// prefix the memory cache lacks loads the blocks found there instead of computing them. The
/// digests come from token ids alone, so the files stay valid across restarts of the same model;
/// the directory is bounded (oldest files removed first) and a file that does not check out is
/// deleted, never loaded. Engine thread only.
public final class DiskKVTier {
    public let directory: URL
    public let maxBytes: Int
    public let modelFingerprint: String
    let blockSize: Int
    let bytesPerBlock: Int
    let hasher: SHA256CBORBlockHasher
    private let readBlocks: ([Int]) -> [UInt8]?
    /// Files by digest (hex), oldest first, with their sizes.
    private var files: [String: Int] = [:]
    private var order: [String] = []
    private var totalBytes = 0
    /// Blocks written, loaded and refused (a file that did not check out) so far.
    public private(set) var numStored = 0
    public private(set) var numLoaded = 0
    public private(set) var numRejected = 0

    public init(directory: String, maxBytes: Int, modelFingerprint: String, blockSize: Int, bytesPerBlock: Int,
                hasher: SHA256CBORBlockHasher, readBlocks: @escaping ([Int]) -> [UInt8]?) throws {
        self.directory = URL(fileURLWithPath: directory)
        self.maxBytes = maxBytes
        self.modelFingerprint = modelFingerprint
        self.blockSize = blockSize
        self.bytesPerBlock = bytesPerBlock
        self.hasher = hasher
        self.readBlocks = readBlocks
        let manager = FileManager.default
        try manager.createDirectory(at: self.directory, withIntermediateDirectories: true)
        // What a previous run left: .kv files oldest first; unfinished .tmp files go.
        var found: [(name: String, size: Int, date: Date)] = []
        for name in try manager.contentsOfDirectory(atPath: directory) {
            let url = self.directory.appendingPathComponent(name)
            if name.hasSuffix(".tmp") { try? manager.removeItem(at: url); continue }
            guard name.hasSuffix(".kv"), let attributes = try? manager.attributesOfItem(atPath: url.path) else { continue }
            found.append((String(name.dropLast(3)), (attributes[.size] as? Int) ?? 0, (attributes[.modificationDate] as? Date) ?? .distantPast))
        }
        for entry in found.sorted(by: { ($0.date, $0.name) < ($1.date, $1.name) }) {
            files[entry.name] = entry.size
            order.append(entry.name)
            totalBytes += entry.size
        }
        trim()
    }

    /// Files held now.
    public var numFiles: Int { files.count }

    private func url(_ digest: String) -> URL { directory.appendingPathComponent(digest + ".kv") }

    static func hex(_ digest: [UInt8]) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// Writes the blocks `request` just published (indices into its block table, ids in the pool).
    func store(_ request: Request, blockIndices: [Int], blockIDs: [Int]) {
        guard let last = blockIndices.last else { return }
        request.updateEventBlockHashes(hasher: hasher, blockSize: blockSize, count: last + 1)
        for index in blockIndices where index < blockIDs.count && index < request.eventBlockHashes.count {
            let digest = Self.hex(request.eventBlockHashes[index])
            guard files[digest] == nil, let payload = readBlocks([blockIDs[index]]) else { continue }
            let header = DiskKVBlockFile.Header(model: modelFingerprint, blockSize: blockSize, numBytes: payload.count,
                                                checksum: DiskKVBlockFile.fnv1a(payload),
                                                tokenIDs: Array(request.allTokenIDs[(index * blockSize)..<((index + 1) * blockSize)]),
                                                digest: digest)
            let bytes = DiskKVBlockFile.encode(header: header, payload: payload)
            let temporary = directory.appendingPathComponent(digest + ".tmp")
            // rename(2) replaces atomically: a reader sees the whole file or none.
            guard (try? Data(bytes).write(to: temporary)) != nil, rename(temporary.path, url(digest).path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                continue
            }
            files[digest] = bytes.count
            order.append(digest)
            totalBytes += bytes.count
            numStored += 1
        }
        trim()
    }

    /// The payloads of the blocks from `firstBlock` on that are on disk and check out, at most
    /// `maxBlocks`, stopping at the first one missing.
    func load(_ request: Request, firstBlock: Int, maxBlocks: Int) -> [UInt8] {
        guard maxBlocks > 0 else { return [] }
        request.updateEventBlockHashes(hasher: hasher, blockSize: blockSize, count: firstBlock + maxBlocks)
        var out: [UInt8] = []
        for index in firstBlock..<min(firstBlock + maxBlocks, request.eventBlockHashes.count) {
            let digest = Self.hex(request.eventBlockHashes[index])
            guard files[digest] != nil else { break }
            let tokens = request.allTokenIDs[(index * blockSize)..<((index + 1) * blockSize)]
            guard let data = try? Data(contentsOf: url(digest)),
                  let payload = DiskKVBlockFile.read(data, model: modelFingerprint, blockSize: blockSize, numBytes: bytesPerBlock,
                                                     digest: digest, tokenIDs: tokens) else {
                remove(digest)
                numRejected += 1
                break
            }
            out += payload
            numLoaded += 1
        }
        return out
    }

    private func remove(_ digest: String) {
        guard let size = files.removeValue(forKey: digest) else { return }
        totalBytes -= size
        order.removeAll { $0 == digest }
        try? FileManager.default.removeItem(at: url(digest))
    }

    /// Removes the oldest files until the directory fits `maxBytes`.
    private func trim() {
        var dropped = 0
        while totalBytes > maxBytes && dropped < order.count {
            let digest = order[dropped]
            dropped += 1
            if let size = files.removeValue(forKey: digest) {
                totalBytes -= size
                try? FileManager.default.removeItem(at: url(digest))
            }
        }
        if dropped > 0 { order.removeFirst(dropped) }
    }
}
