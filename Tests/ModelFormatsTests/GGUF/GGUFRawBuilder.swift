import Testing
@testable import ModelFormats

/// Builds GGUF bytes field by field, so tests can write files the writer never would.
struct GGUFRawBuilder {
    var encoder = GGUFEncoder()
    var bytes: [UInt8] { encoder.bytes }
    var count: Int { encoder.bytes.count }

    init(magic: String = "GGUF", version: UInt32 = 3, numTensors: UInt64, numKV: UInt64) {
        encoder.bytes.append(contentsOf: Array(magic.utf8))
        encoder.append(version)
        encoder.append(numTensors)
        encoder.append(numKV)
    }

    mutating func keyValue(_ key: String, _ value: GGUFValue) {
        encoder.append(string: key)
        encoder.append(GGUFValueType(of: value).rawValue)
        encoder.append(value: value)
    }

    /// A key with a raw type id and payload bytes.
    mutating func keyValue(_ key: String, typeID: UInt32, payload: [UInt8]) {
        encoder.append(string: key)
        encoder.append(typeID)
        encoder.bytes.append(contentsOf: payload)
    }

    mutating func tensor(_ name: String, dims: [UInt64], typeID: UInt32, offset: UInt64) {
        encoder.append(string: name)
        encoder.append(UInt32(dims.count))
        for dim in dims { encoder.append(dim) }
        encoder.append(typeID)
        encoder.append(offset)
    }

    /// Pads to `alignment` and appends `dataBytes` zero bytes; returns the data offset.
    @discardableResult
    mutating func data(_ dataBytes: Int, alignment: Int = 32) -> Int {
        encoder.pad(to: alignment)
        let start = encoder.bytes.count
        encoder.bytes.append(contentsOf: [UInt8](repeating: 0, count: dataBytes))
        return start
    }

    static func le64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    static func le32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

/// Writes `bytes` to a temporary file, opens it, and checks the error it is rejected with.
func expectGGUFError(
    _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation, _ expected: (String) -> GGUFError
) throws {
    let path = try GGUFTestSupport.temporaryFile(bytes)
    do {
        let file = try GGUFFile(path: path)
        Issue.record("parsed without error: \(file.tensors.count) tensors", sourceLocation: sourceLocation)
    } catch let error as GGUFError {
        #expect(error == expected(path), sourceLocation: sourceLocation)
        #expect(error.description.hasPrefix(path), sourceLocation: sourceLocation)
    }
}
