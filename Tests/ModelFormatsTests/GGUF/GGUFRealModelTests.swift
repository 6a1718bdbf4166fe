import Foundation
import Testing
@testable import ModelFormats

/// The real SmolLM2 and Gemma 3 GGUF files (fetched by scripts/fetch-model), checked against
/// facts read with gguf-py (Fixtures/gguf/model_rows.json, scripts/fixtures/gguf_quant_fixtures.py).
@Suite struct GGUFRealModelTests {
    static let smolLM = "SmolLM2-135M-Instruct.Q4_1.gguf"
    static let gemma = "gemma-3-270m-q4_k_m.gguf"

    struct Row { let row: Int; let first16: [Float]; let sum: Double }
    struct TensorRows { let name: String; let type: String; let shape: [Int]; let rows: [Row] }

    static func expectedRows(_ file: String) throws -> [TensorRows] {
        let data = try Data(contentsOf: GGUFTestSupport.fixture("gguf", "model_rows.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tensors = try #require(json[file] as? [[String: Any]])
        return try tensors.map { t in
            let rows = try #require(t["rows"] as? [[String: Any]]).map { r in
                // Numbers are decimal strings: Foundation's JSON number parsing is not always exact.
                Row(row: try #require(r["row"] as? Int),
                    first16: try #require(r["first16"] as? [String]).map { try number($0) },
                    sum: try number(try #require(r["sum"] as? String)))
            }
            return TensorRows(name: try #require(t["name"] as? String), type: try #require(t["type"] as? String),
                              shape: try #require(t["shape"] as? [Int]), rows: rows)
        }
    }

    static func number<T: LosslessStringConvertible>(_ text: String) throws -> T {
        guard let value = T(text) else { throw GGUFTestSupport.MissingModel(description: "bad number \(text)") }
        return value
    }

    static func typeCounts(_ file: GGUFFile) -> [String: Int] {
        file.tensors.reduce(into: [:]) { counts, t in counts[t.type.name, default: 0] += 1 }
    }

    /// Dequantizes whole rows and compares them with gguf-py: the first 16 floats exactly, and
    /// the left-to-right Double sum of the full row exactly.
    static func checkRows(_ file: GGUFFile, _ expected: [TensorRows]) throws {
        for tensorRows in expected {
            let info = try #require(file.tensor(named: tensorRows.name))
            #expect(info.type.name == tensorRows.type && info.shape == tensorRows.shape)
            let data = file.data(for: info)
            for row in tensorRows.rows {
                let start = row.row * info.rowByteCount
                let bytes = UnsafeRawBufferPointer(rebasing: data[start..<start + info.rowByteCount])
                let values = try dequantizeReference(type: info.type, from: bytes, count: info.shape[0])
                #expect(Array(values.prefix(16)) == row.first16, "\(info.name) row \(row.row)")
                let sum = values.reduce(0.0) { $0 + Double($1) }
                #expect(sum == row.sum, "\(info.name) row \(row.row) sum")
            }
        }
    }

    @Test func smolLM2HeaderAndRows() throws {
        let file = try GGUFFile(path: try GGUFTestSupport.modelPath(Self.smolLM, fetchArgument: ""))
        #expect(file.version == 3)
        #expect(file.tensors.count == 272)
        #expect(file.metadataKeys.count == 33 && file.metadata.count == 33)
        #expect(file.metadata["general.architecture"] == .string("llama"))
        #expect(file.metadata["llama.block_count"]?.intValue == 30)
        #expect(file.metadata["tokenizer.ggml.pre"] == .string("smollm"))
        #expect(file.metadata["tokenizer.ggml.tokens"]?.arrayValue?.count == 49152)
        #expect(Self.typeCounts(file) == ["Q4_1": 210, "F32": 61, "Q8_0": 1])
        #expect(file.alignment == 32 && file.dataOffset % 32 == 0)
        let embedding = try #require(file.tensor(named: "token_embd.weight"))
        #expect(embedding.shape == [576, 49152] && embedding.type == .q8_0)
        #expect(embedding.byteCount == 576 / 32 * 34 * 49152)
        try Self.checkRows(file, try Self.expectedRows(Self.smolLM))
    }

    @Test func gemma3HeaderVocabularyAndRows() throws {
        let path = try GGUFTestSupport.modelPath(Self.gemma, fetchArgument: " gemma3")
        let clock = ContinuousClock()
        var opened: GGUFFile?
        let elapsed = try clock.measure { opened = try GGUFFile(path: path) }
        let file = try #require(opened)
        print("gemma3 GGUF opened in \(elapsed)")
        #expect(file.version == 3)
        #expect(file.tensors.count == 236 && file.metadataKeys.count == 33)
        #expect(file.metadata["general.architecture"] == .string("gemma3"))
        #expect(file.metadata["tokenizer.ggml.model"] == .string("llama"))
        #expect(Self.typeCounts(file) == ["F32": 109, "Q5_0": 81, "Q4_K": 27, "Q8_0": 10, "Q6_K": 9])
        guard case .array(.strings(let tokens)) = file.metadata["tokenizer.ggml.tokens"] else {
            Issue.record("tokenizer.ggml.tokens is not a string array")
            return
        }
        #expect(tokens.count == 262_144)
        guard case .array(.float32s(let scores)) = file.metadata["tokenizer.ggml.scores"],
              case .array(.int32s(let tokenTypes)) = file.metadata["tokenizer.ggml.token_type"]
        else {
            Issue.record("scores/token_type are not typed float32/int32 arrays")
            return
        }
        #expect(scores.count == 262_144 && tokenTypes.count == 262_144)
        try Self.checkRows(file, try Self.expectedRows(Self.gemma))
    }
}
