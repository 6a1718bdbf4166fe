import Foundation
@testable import SwiftletTokenizers

/// Test-only GGUF metadata reader: the header and key/value section, enough to build a `TokenizerVocabulary`.
/// (The engine uses ModelFormats' reader; tests will switch to it once it lands.)
struct TestGGUFMetadata {
    enum Value {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case strings([String])
        case int32s([Int32])
        case floats([Float])
        case other
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var values: [String: Value] = [:]

    init(url: URL) throws {
        let data = try Data(contentsOf: url, options: .alwaysMapped)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
            var reader = Reader(bytes: raw)
            guard try reader.u32() == 0x4655_4747 else { throw ParseError(description: "\(url.path): not a GGUF file") }
            let version = try reader.u32()
            guard version >= 2 else { throw ParseError(description: "GGUF version \(version) unsupported") }
            _ = try reader.u64()
            let count = try reader.u64()
            for _ in 0..<count {
                let key = try reader.string()
                values[key] = try reader.value(type: reader.u32())
            }
        }
    }

    /// The tokenizer vocabulary of the file's `tokenizer.ggml.*` keys.
    func vocabulary() throws -> TokenizerVocabulary {
        guard case .string(let modelName)? = values["tokenizer.ggml.model"],
              let model = TokenizerVocabulary.ModelKind(rawValue: modelName),
              case .strings(let tokens)? = values["tokenizer.ggml.tokens"]
        else { throw ParseError(description: "missing tokenizer.ggml.model/tokens") }
        func int(_ key: String) -> Int? { if case .integer(let v)? = values[key] { return v } else { return nil } }
        func bool(_ key: String) -> Bool? { if case .bool(let v)? = values[key] { return v } else { return nil } }
        var vocabulary = TokenizerVocabulary(model: model, tokens: tokens)
        if case .string(let pre)? = values["tokenizer.ggml.pre"] { vocabulary.preTokenizer = pre }
        if case .floats(let scores)? = values["tokenizer.ggml.scores"] { vocabulary.scores = scores }
        if case .int32s(let types)? = values["tokenizer.ggml.token_type"] { vocabulary.tokenTypes = types }
        if case .strings(let merges)? = values["tokenizer.ggml.merges"] { vocabulary.merges = merges }
        vocabulary.bosTokenID = int("tokenizer.ggml.bos_token_id")
        vocabulary.eosTokenID = int("tokenizer.ggml.eos_token_id")
        vocabulary.unknownTokenID = int("tokenizer.ggml.unknown_token_id")
        vocabulary.paddingTokenID = int("tokenizer.ggml.padding_token_id")
        vocabulary.addBOS = bool("tokenizer.ggml.add_bos_token") ?? (model == .llama)
        vocabulary.addEOS = bool("tokenizer.ggml.add_eos_token") ?? false
        vocabulary.addSpacePrefix = bool("tokenizer.ggml.add_space_prefix") ?? (model == .llama)
        return vocabulary
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
            guard count >= 0, count <= bytes.count - offset else { throw ParseError(description: "truncated GGUF") }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        }

        mutating func u32() throws -> UInt32 { try take(4).loadUnaligned(as: UInt32.self) }
        mutating func u64() throws -> UInt64 { try take(8).loadUnaligned(as: UInt64.self) }

        mutating func string() throws -> String {
            let length = try u64()
            guard length < UInt64(Int32.max) else { throw ParseError(description: "bad string length") }
            return String(decoding: try take(Int(length)), as: UTF8.self)
        }

        static func size(of type: UInt32) -> Int? {
            switch type {
            case 0, 1, 7: return 1
            case 2, 3: return 2
            case 4, 5, 6: return 4
            case 10, 11, 12: return 8
            default: return nil
            }
        }

        mutating func value(type: UInt32) throws -> Value {
            switch type {
            case 8: return .string(try string())
            case 7: return .bool(try take(1)[0] != 0)
            case 4: return .integer(Int(try u32()))
            case 5: return .integer(Int(Int32(bitPattern: try u32())))
            case 10: return .integer(Int(truncatingIfNeeded: try u64()))
            case 6: return .float(Double(Float(bitPattern: try u32())))
            case 9: return try array()
            default:
                guard let size = Self.size(of: type) else { throw ParseError(description: "bad GGUF type \(type)") }
                _ = try take(size)
                return .other
            }
        }

        mutating func array() throws -> Value {
            let type = try u32()
            let count = try u64()
            guard count < UInt64(Int32.max) else { throw ParseError(description: "bad array length") }
            let n = Int(count)
            switch type {
            case 8: return .strings(try (0..<n).map { _ in try string() })
            case 5: return .int32s(try (0..<n).map { _ in Int32(bitPattern: try u32()) })
            case 6: return .floats(try (0..<n).map { _ in Float(bitPattern: try u32()) })
            default:
                guard let size = Self.size(of: type) else { throw ParseError(description: "bad GGUF array type \(type)") }
                _ = try take(size * n)
                return .other
            }
        }
    }
}
