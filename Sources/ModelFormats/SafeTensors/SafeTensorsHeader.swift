import Foundation

/// The validated header of a safetensors file: 8-byte little-endian length N, N bytes of
/// JSON, then the data section that the tensors must tile exactly (sorted by offset, no
/// overlaps, no holes, ending at the end of the file), as the format requires.
struct SafeTensorsHeader {
    /// Largest accepted JSON header, as in the reference implementation (100 MB).
    static let maxHeaderLength = 100_000_000

    /// Tensors sorted by data offset.
    let tensors: [SafeTensorInfo]
    let metadata: [String: String]
    /// Absolute file offset of the data section.
    let dataStart: Int

    /// Parses and validates the header at the start of `bytes` (the whole file).
    init(bytes: UnsafeRawBufferPointer, file: String) throws {
        guard bytes.count >= 8 else {
            throw SafeTensorsError.truncated(file: file, needed: 8, available: bytes.count)
        }
        let length = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard length > 0, length <= UInt64(Self.maxHeaderLength) else {
            throw SafeTensorsError.headerTooLarge(file: file, length: length, maxLength: Self.maxHeaderLength)
        }
        let headerLength = Int(length)
        guard headerLength <= bytes.count - 8 else {
            throw SafeTensorsError.truncated(file: file, needed: length + 8, available: bytes.count)
        }
        dataStart = 8 + headerLength
        let json = UnsafeRawBufferPointer(rebasing: bytes[8..<dataStart])
        guard json.first == UInt8(ascii: "{") else {
            throw SafeTensorsError.invalidHeader(file: file, reason: "does not start with '{'")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(json))
        } catch let error as DecodingError {
            throw SafeTensorsError.invalidHeader(file: file, reason: Self.describe(error))
        } catch {
            throw SafeTensorsError.invalidHeader(file: file, reason: "\(error)")
        }
        metadata = raw.metadata
        tensors = try Self.validate(raw.entries, dataSize: bytes.count - dataStart, file: file)
    }

    private static func validate(_ entries: [(String, RawEntry)], dataSize: Int, file: String) throws -> [SafeTensorInfo] {
        var infos: [SafeTensorInfo] = []
        infos.reserveCapacity(entries.count)
        for (name, entry) in entries {
            guard let dtype = SafeTensorsDType(rawValue: entry.dtype) else {
                throw SafeTensorsError.unknownDType(file: file, tensor: name, dtype: entry.dtype)
            }
            guard entry.dataOffsets.count == 2 else {
                throw SafeTensorsError.invalidHeader(file: file, reason: "tensor '\(name)': data_offsets must be [begin, end]")
            }
            let begin = entry.dataOffsets[0], end = entry.dataOffsets[1]
            guard begin >= 0, begin <= end, end <= dataSize else {
                throw SafeTensorsError.offsetsOutOfRange(file: file, tensor: name, begin: begin, end: end, dataSize: dataSize)
            }
            let mismatch = SafeTensorsError.shapeMismatch(
                file: file, tensor: name, shape: entry.shape, dtype: entry.dtype, numBytes: end - begin)
            var numBytes = dtype.byteSize
            for dim in entry.shape {
                guard dim >= 0 else { throw mismatch }
                let (product, overflow) = numBytes.multipliedReportingOverflow(by: dim)
                guard !overflow else { throw mismatch }
                numBytes = product
            }
            guard numBytes == end - begin else { throw mismatch }
            infos.append(SafeTensorInfo(name: name, dtype: dtype, shape: entry.shape, byteRange: begin..<end))
        }
        infos.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }
        var offset = 0
        var previous: String?
        for info in infos {
            if info.byteRange.lowerBound < offset, let previous {
                throw SafeTensorsError.overlapping(file: file, tensor: previous, other: info.name)
            }
            if info.byteRange.lowerBound > offset {
                throw SafeTensorsError.hole(file: file, offset: offset, nextTensor: info.name)
            }
            offset = info.byteRange.upperBound
            previous = info.name
        }
        guard offset == dataSize else {
            throw SafeTensorsError.hole(file: file, offset: offset, nextTensor: nil)
        }
        return infos
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)'\(path(context))"
        case .typeMismatch(let type, let context):
            return "expected \(type)\(path(context))"
        case .valueNotFound(let type, let context):
            return "null where \(type) expected\(path(context))"
        case .dataCorrupted(let context):
            return "malformed JSON\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// A dynamic JSON object key.
struct SafeTensorsJSONKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// The header's JSON before validation.
private struct RawHeader: Decodable {
    var entries: [(String, RawEntry)] = []
    var metadata: [String: String] = [:]

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: SafeTensorsJSONKey.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                entries.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
            }
        }
    }
}

private struct RawEntry: Decodable {
    let dtype: String
    let shape: [Int]
    let dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case dataOffsets = "data_offsets"
    }
}
