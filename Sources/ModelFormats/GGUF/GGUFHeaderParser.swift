/// Parses the header of a GGUF v2/v3 file: magic, version, counts, metadata and tensor infos,
/// then validates the tensor layout against the file size.
struct GGUFHeaderParser {
    /// "GGUF" read as a little-endian u32.
    static let magic: [UInt8] = Array("GGUF".utf8)
    static let supportedVersions: ClosedRange<UInt32> = 2...3
    /// Smallest encoding of one metadata entry: key length (8) + type (4) + a 1-byte value.
    static let minKeyValueSize = 13
    /// Smallest encoding of one tensor info: name length (8) + n_dims (4) + type (4) + offset (8).
    static let minTensorInfoSize = 24

    struct Header {
        var version: UInt32
        var metadata: [String: GGUFValue]
        var metadataKeys: [String]
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// A tensor info as read, before its offset is validated.
    struct RawTensorInfo {
        var name: String
        var shape: [Int]
        var type: GGMLType
        var offset: UInt64
        var numElements: Int
        var byteCount: Int
    }

    static func parse(bytes: UnsafeRawBufferPointer, path: String) throws -> Header {
        var cursor = GGUFByteCursor(bytes: bytes, path: path)
        try cursor.require(4, reading: "magic")
        let found = (0..<4).map { bytes[$0] }
        guard found == magic else {
            throw GGUFError.wrongMagic(path: path, found: found)
        }
        try cursor.skip(4, reading: "magic")
        let version = try cursor.readUInt32("version")
        guard supportedVersions.contains(version) else {
            throw GGUFError.unsupportedVersion(path: path, version: version)
        }
        let tensorCountOffset = cursor.offset
        let rawTensorCount = try cursor.readUInt64("tensor count")
        let kvCountOffset = cursor.offset
        let rawKVCount = try cursor.readUInt64("metadata key-value count")
        let numKeyValues = try cursor.checkCount(
            rawKVCount, minSize: minKeyValueSize, at: kvCountOffset, what: "metadata key-value count")
        // Tensor infos follow the metadata, so their count is checked against what remains then;
        // check now too, so an absurd count is reported even when metadata is fine.
        _ = try cursor.checkCount(
            rawTensorCount, minSize: minTensorInfoSize, at: tensorCountOffset, what: "tensor count")

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        metadata.reserveCapacity(numKeyValues)
        keys.reserveCapacity(numKeyValues)
        for index in 0..<numKeyValues {
            let key = try cursor.readString("metadata key #\(index)")
            let type = try cursor.readValueType(key: key)
            let value = try cursor.readValue(type, key: key)
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw GGUFError.duplicateKey(path: path, key: key)
            }
            keys.append(key)
        }

        let alignment = try readAlignment(metadata, path: path)
        let numTensors = try cursor.checkCount(
            rawTensorCount, minSize: minTensorInfoSize, at: tensorCountOffset, what: "tensor count")
        var infos: [RawTensorInfo] = []
        infos.reserveCapacity(numTensors)
        var names = Set<String>()
        names.reserveCapacity(numTensors)
        for index in 0..<numTensors {
            let info = try readTensorInfo(&cursor, index: index)
            guard names.insert(info.name).inserted else {
                throw GGUFError.duplicateTensorName(path: path, name: info.name)
            }
            infos.append(info)
        }

        let dataOffset = try alignUp(cursor.offset, to: alignment, path: path)
        let tensors = try GGUFTensorLayout.validate(
            infos, dataOffset: dataOffset, alignment: alignment, fileSize: bytes.count, path: path)
        return Header(
            version: version, metadata: metadata, metadataKeys: keys, tensors: tensors,
            alignment: alignment, dataOffset: dataOffset)
    }

    /// `general.alignment`: any integer type, positive and a power of two; default 32.
    static func readAlignment(_ metadata: [String: GGUFValue], path: String) throws -> Int {
        guard let value = metadata["general.alignment"] else { return GGUFFile.defaultAlignment }
        guard let alignment = value.intValue, alignment > 0, alignment & (alignment - 1) == 0 else {
            throw GGUFError.badAlignment(path: path, value: "\(value)")
        }
        return alignment
    }

    static func alignUp(_ offset: Int, to alignment: Int, path: String) throws -> Int {
        let (padded, overflow) = offset.addingReportingOverflow(alignment - 1)
        guard !overflow else {
            throw GGUFError.badAlignment(path: path, value: "\(alignment) (data offset overflows)")
        }
        return padded & ~(alignment - 1)
    }

    static func readTensorInfo(_ cursor: inout GGUFByteCursor, index: Int) throws -> RawTensorInfo {
        let path = cursor.path
        let name = try cursor.readString("name of tensor #\(index)")
        let numDims = try cursor.readUInt32("dimension count of tensor '\(name)'")
        guard numDims <= UInt32(GGUFTensorInfo.maxDims) else {
            throw GGUFError.tooManyDims(path: path, tensor: name, numDims: numDims)
        }
        var shape: [Int] = []
        shape.reserveCapacity(Int(numDims))
        var numElements = 1
        for dim in 0..<Int(numDims) {
            let raw = try cursor.readUInt64("dimension \(dim) of tensor '\(name)'")
            guard raw > 0, raw <= UInt64(Int64.max) else {
                throw GGUFError.invalidDimension(path: path, tensor: name, index: dim, value: raw)
            }
            let (product, overflow) = numElements.multipliedReportingOverflow(by: Int(raw))
            guard !overflow else {
                throw GGUFError.elementCountOverflow(path: path, tensor: name)
            }
            numElements = product
            shape.append(Int(raw))
        }
        let typeID = try cursor.readUInt32("type of tensor '\(name)'")
        guard let type = GGMLType(rawValue: typeID) else {
            throw GGUFError.unknownTensorType(path: path, tensor: name, typeID: typeID)
        }
        let offset = try cursor.readUInt64("offset of tensor '\(name)'")
        let ne0 = shape.first ?? 1
        guard ne0 % type.blockSize == 0 else {
            throw GGUFError.rowNotMultipleOfBlock(path: path, tensor: name, type: type, ne0: ne0)
        }
        guard let byteCount = type.byteCount(numElements: numElements) else {
            throw GGUFError.elementCountOverflow(path: path, tensor: name)
        }
        return RawTensorInfo(
            name: name, shape: shape, type: type, offset: offset, numElements: numElements,
            byteCount: byteCount)
    }
}
