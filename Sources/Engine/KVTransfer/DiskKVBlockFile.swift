import Foundation
import SwiftletJSON

/// One KV block on disk: `SWKVBLK1`, a little-endian UInt32 header length, a JSON header (model
/// files, block size, payload bytes, FNV-1a checksum of the payload, the block's tokens and its
/// sha256_cbor digest) and the payload (`KVCacheStorage.copyBlocks` of one block). Written to a
/// temporary name and renamed, so a crash leaves no torn `.kv` file; `read` refuses anything that
/// does not check out (wrong magic, model, size, checksum, digest or tokens).
struct DiskKVBlockFile {
    static let magic = Array("SWKVBLK1".utf8)

    struct Header: Equatable {
        var model: String
        var blockSize: Int
        var numBytes: Int
        var checksum: UInt64
        var tokenIDs: [Int]
        var digest: String
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    static func encode(header: Header, payload: [UInt8]) -> [UInt8] {
        let tokens = header.tokenIDs.map(String.init).joined(separator: ",")
        let model = header.model.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let json = Array(#"{"model":"\#(model)","block_size":\#(header.blockSize),"bytes":\#(header.numBytes),"checksum":"\#(String(header.checksum, radix: 16))","tokens":[\#(tokens)],"digest":"\#(header.digest)"}"#.utf8)
        let length = UInt32(json.count)
        return magic + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * UInt32($0))) } + json + payload
    }

    /// The payload of a file that checks out against what the reader expects, else nil.
    static func read(_ data: Data, model: String, blockSize: Int, numBytes: Int, digest: String, tokenIDs: ArraySlice<Int>) -> [UInt8]? {
        let bytes = [UInt8](data)
        guard bytes.count > 12, Array(bytes[0..<8]) == magic else { return nil }
        let length = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        guard length > 0, 12 + length <= bytes.count,
              let object = (try? JSONValue(parsing: Data(bytes[12..<(12 + length)])))?.objectValue else { return nil }
        let payload = Array(bytes[(12 + length)...])
        guard object["model"]?.stringValue == model, object["block_size"]?.intValue == blockSize,
              object["bytes"]?.intValue == numBytes, payload.count == numBytes,
              object["digest"]?.stringValue == digest,
              object["tokens"]?.arrayValue?.compactMap(\.intValue) == Array(tokenIDs),
              let checksum = object["checksum"]?.stringValue.flatMap({ UInt64($0, radix: 16) }),
              checksum == fnv1a(payload) else { return nil }
        return payload
    }
}
