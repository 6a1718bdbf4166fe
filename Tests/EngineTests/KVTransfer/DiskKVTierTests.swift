import Foundation
import Testing
@testable import Engine

/// The prefix cache's disk tier on the real model: blocks written as they are cached, loaded by a
/// fresh engine (a restart) instead of computed with the same greedy output, torn or foreign
/// files refused, the directory bounded.
@Suite(.serialized) struct DiskKVTierTests {
    static func run(_ core: EngineCore) throws -> [EngineCoreOutput] {
        var outputs: [EngineCoreOutput] = []
        while core.hasUnfinishedRequests { outputs += try core.step() }
        return outputs
    }

    func engine(directory: URL, model: String = "smollm2.Q4_1.gguf:1000", maxBytes: Int = 1 << 30) throws -> (EngineCore, DiskKVTier) {
        let core = try EngineCoreModelTests().makeEngine(numBlocks: 64)
        return (core, try core.attachDiskTier(directory: directory.path, maxBytes: maxBytes, modelFingerprint: model))
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("disk-tier-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func restartLoadsFromDiskWithTheSameOutput() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let prompt = try EngineCoreModelTests().targetPrompt()
        let params = EngineCoreModelTests.greedy
        let reference = try EngineCoreModelTests().makeEngine(numBlocks: 64)
        try reference.addRequest(requestID: "r", promptTokenIDs: prompt, params: params)
        let expected = try Self.run(reference).flatMap(\.newTokenIDs)

        let (first, firstTier) = try engine(directory: directory)
        try first.addRequest(requestID: "a", promptTokenIDs: prompt, params: params)
        #expect(try Self.run(first).flatMap(\.newTokenIDs) == expected)
        // 50 prompt + 24 output tokens: 73 computed, four full blocks written.
        #expect(firstTier.numStored == 4)
        #expect(firstTier.numFiles == 4)

        // A new engine (as after a restart) finds the files and loads the prompt's first three
        // blocks (the last prompt token is always computed), then decodes the same tokens.
        let (second, secondTier) = try engine(directory: directory)
        #expect(secondTier.numFiles == 4)
        try second.addRequest(requestID: "b", promptTokenIDs: prompt, params: params)
        let outputs = try Self.run(second)
        #expect(outputs.flatMap(\.newTokenIDs) == expected)
        #expect(outputs.first?.numCachedTokens == 48)
        #expect(secondTier.numLoaded == 3)
        let sources = second.stats.promptTokenSources
        #expect([sources.externalKVTransfer, sources.localCacheHit, sources.localCompute] == [48, 0, 2] as [Int])
    }

    @Test func tornAndForeignFilesAreRefused() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let prompt = try EngineCoreModelTests().targetPrompt()
        let (first, _) = try engine(directory: directory)
        try first.addRequest(requestID: "a", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        _ = try Self.run(first)
        // Another model file's engine loads none of them.
        let (foreign, foreignTier) = try engine(directory: directory, model: "smollm2.Q8_0.gguf:2000")
        try foreign.addRequest(requestID: "f", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        #expect(try Self.run(foreign).first?.numCachedTokens == 0)
        #expect(foreignTier.numRejected == 1)

        // Rewrite with the right model, then flip one payload byte of the second block's file.
        let (writer, _) = try engine(directory: directory)
        try writer.addRequest(requestID: "w", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        _ = try Self.run(writer)
        var hashes: [[UInt8]] = []
        writer.scheduler.diskTier?.hasher.appendHashes(to: &hashes, tokenIDs: prompt, blockSize: 16, cacheSalt: nil)
        let file = directory.appendingPathComponent(DiskKVTier.hex(hashes[1]) + ".kv")
        var bytes = [UInt8](try Data(contentsOf: file))
        bytes[bytes.count - 100] ^= 0xff
        try Data(bytes).write(to: file)
        try Data("half a block".utf8).write(to: directory.appendingPathComponent(DiskKVTier.hex(hashes[0]) + ".tmp"))
        let (reader, readerTier) = try engine(directory: directory)
        try reader.addRequest(requestID: "r", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        // Block 0 loads, block 1 fails its checksum: the rest is computed.
        #expect(try Self.run(reader).first?.numCachedTokens == 16)
        #expect(readerTier.numRejected == 1)
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(DiskKVTier.hex(hashes[0]) + ".tmp").path))
        // The reader computed blocks 1 and 2 and wrote them again, sound: the next engine loads all three.
        #expect(try DiskKVBlockFile.read(Data(contentsOf: file), model: "smollm2.Q4_1.gguf:1000", blockSize: 16,
                                         numBytes: readerTier.bytesPerBlock, digest: DiskKVTier.hex(hashes[1]),
                                         tokenIDs: prompt[16..<32]) != nil)
        let (next, _) = try engine(directory: directory)
        try next.addRequest(requestID: "n", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        #expect(try Self.run(next).first?.numCachedTokens == 48)
    }

    @Test func theDirectoryIsBounded() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let prompt = try EngineCoreModelTests().targetPrompt()
        let probe = try EngineCoreModelTests().makeEngine(numBlocks: 64)
        let fileBytes = (probe.executor as! ModelRunner).cache.transferBytesPerBlock + 512
        let (core, tier) = try engine(directory: directory, maxBytes: 2 * fileBytes)
        try core.addRequest(requestID: "a", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        _ = try Self.run(core)
        #expect(tier.numStored == 3)
        #expect(tier.numFiles == 2)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".kv") }
        #expect(names.count == 2)
    }
}
