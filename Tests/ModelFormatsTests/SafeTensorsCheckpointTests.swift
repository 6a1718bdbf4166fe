import Foundation
import Testing
@testable import ModelFormats

struct SafeTensorsCheckpointTests {
    @Test func shardedFixtureWrittenByPython() throws {
        let checkpoint = try SafeTensorsCheckpoint(directory: SafeTensorsTestSupport.fixture("safetensors", "sharded"))
        #expect(checkpoint.files.count == 2)
        #expect(checkpoint.totalSize == 64)
        #expect(checkpoint.tensorNames == ["lm_head.weight", "model.embed_tokens.weight",
                                           "model.layers.0.mlp.up_proj.weight", "model.norm.weight"])
        let embed = try #require(checkpoint.tensor(named: "model.embed_tokens.weight"))
        #expect(embed.file.path.hasSuffix("model-00001-of-00002.safetensors"))
        #expect(embed.info.shape == [4, 3])
        #expect(try checkpoint.toFloat(named: "model.embed_tokens.weight") == (0..<12).map(Float.init))
        #expect(try checkpoint.toFloat(named: "model.norm.weight") == [1, 2, 3])
        #expect(try checkpoint.toFloat(named: "lm_head.weight") == [-1, 0.25, 8])
        #expect(try checkpoint.toFloat(named: "model.layers.0.mlp.up_proj.weight") == [1, -2, 3, -4])
        #expect(try checkpoint.data(forTensorNamed: "lm_head.weight").count == 6)
        #expect(checkpoint.tensor(named: "nope") == nil)
        #expect(throws: SafeTensorsError.self) { try checkpoint.toFloat(named: "nope") }
    }

    @Test func singleFileFixture() throws {
        let checkpoint = try SafeTensorsCheckpoint(directory: SafeTensorsTestSupport.fixture("safetensors", "single"))
        #expect(checkpoint.files.count == 1 && checkpoint.totalSize == nil)
        #expect(checkpoint.tensorNames == ["w"])
        #expect(try checkpoint.toFloat(named: "w") == [1.5, -2, 0, 4])
    }

    /// Writes shards `a.safetensors` (tensor x) and `b.safetensors` (tensor y, plus `extra`)
    /// and an index with `weightMap` into a fresh directory.
    private func directory(weightMap: [String: String], extraInB: String? = nil) throws -> URL {
        let dir = try SafeTensorsTestSupport.temporaryDirectory()
        var a = SafeTensorsWriter()
        try a.add(name: "x", dtype: .u8, shape: [1], bytes: [1])
        try a.write(to: dir.appendingPathComponent("a.safetensors"))
        var b = SafeTensorsWriter()
        try b.add(name: "y", dtype: .u8, shape: [1], bytes: [2])
        if let extraInB { try b.add(name: extraInB, dtype: .u8, shape: [1], bytes: [3]) }
        try b.write(to: dir.appendingPathComponent("b.safetensors"))
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": weightMap])
        try index.write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        return dir
    }

    private func indexPath(_ dir: URL) -> String {
        dir.appendingPathComponent("model.safetensors.index.json").path
    }

    @Test func validIndexInTemporaryDirectory() throws {
        let dir = try directory(weightMap: ["x": "a.safetensors", "y": "b.safetensors"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let checkpoint = try SafeTensorsCheckpoint(directory: dir)
        #expect(try checkpoint.toFloat(named: "y") == [2])
    }

    @Test func missingShard() throws {
        let dir = try directory(weightMap: ["x": "a.safetensors", "z": "c.safetensors"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SafeTensorsError.missingShard(index: indexPath(dir), shard: "c.safetensors")) {
            try SafeTensorsCheckpoint(directory: dir)
        }
    }

    @Test func tensorMissingFromShard() throws {
        let dir = try directory(weightMap: ["x": "a.safetensors", "y": "a.safetensors"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SafeTensorsError.tensorMissingFromShard(index: indexPath(dir), tensor: "y", shard: "a.safetensors")) {
            try SafeTensorsCheckpoint(directory: dir)
        }
    }

    @Test func duplicateTensorAcrossShards() throws {
        let dir = try directory(weightMap: ["x": "a.safetensors", "y": "b.safetensors"], extraInB: "x")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SafeTensorsError.duplicateTensor(
            file: dir.appendingPathComponent("b.safetensors").path, tensor: "x",
            other: dir.appendingPathComponent("a.safetensors").path)) {
            try SafeTensorsCheckpoint(directory: dir)
        }
    }

    @Test(arguments: ["../a.safetensors", "sub/a.safetensors", "..", "/etc/passwd", "a\\b", ""])
    func shardNamesCannotEscape(shard: String) throws {
        let dir = try directory(weightMap: ["x": shard])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SafeTensorsError.invalidShardName(index: indexPath(dir), shard: shard)) {
            try SafeTensorsCheckpoint(directory: dir)
        }
    }

    @Test func emptyDirectoryAndBadIndex() throws {
        let dir = try SafeTensorsTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: SafeTensorsError.noCheckpoint(directory: dir.path)) {
            try SafeTensorsCheckpoint(directory: dir)
        }
        try Data("{\"weight_map\": [1]}".utf8).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        #expect {
            try SafeTensorsCheckpoint(directory: dir)
        } throws: { error in
            guard case .invalidHeader(let file, _) = error as? SafeTensorsError else { return false }
            return file == indexPath(dir)
        }
    }
}
