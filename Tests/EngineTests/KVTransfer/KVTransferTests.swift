import Foundation
import Models
import Testing
@testable import Engine

/// Prefill/decode disaggregation between two engines on the real model over loopback TCP: the
/// producer keeps a finished prefill's blocks, the consumer pulls them, computes only the prompt's
/// last token and decodes exactly what one engine alone decodes.
@Suite(.serialized) struct KVTransferTests {
    static func freePort() -> Int {
        // A port the kernel just handed out and released (the connector binds it right after).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    func engine(role: String, port: Int, model: String = "smollm2.Q4_1.gguf:1000") throws -> (EngineCore, TCPKVConnector) {
        let core = try EngineCoreModelTests().makeEngine(numBlocks: 64)
        let config = try KVTransferConfig(json: #"{"kv_connector": "TCPConnector", "kv_role": "\#(role)", "kv_port": \#(port)}"#)
        return (core, try core.connectKV(config, modelFingerprint: model))
    }

    static func run(_ core: EngineCore) throws -> [EngineCoreOutput] {
        var outputs: [EngineCoreOutput] = []
        while core.hasUnfinishedRequests { outputs += try core.step() }
        return outputs
    }

    @Test func prefillHereDecodeThereIsExact() throws {
        let prompt = try EngineCoreModelTests().targetPrompt()
        let port = Self.freePort()
        let (producer, producerConnector) = try engine(role: "kv_producer", port: port)
        defer { producer.shutdown() }
        let (consumer, consumerConnector) = try engine(role: "kv_consumer", port: Self.freePort())
        defer { consumer.shutdown() }
        let (alone, _) = try engine(role: "kv_consumer", port: Self.freePort())

        // The router's prefill request: one token, KV kept for the decode instance.
        var prefill = KVTransferParams()
        prefill.doRemoteDecode = true
        try producer.addRequest(requestID: "p", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1),
                                kvTransfer: prefill)
        let handle = try #require(try Self.run(producer).last?.kvTransferHandle)
        #expect(handle.numTokens == prompt.count)
        #expect(handle.blockIDs.count == 4)  // 50 tokens in blocks of 16
        #expect(producerConnector.numHeld == 1)
        // The held prefill keeps its id until the blocks go.
        #expect(throws: EngineCoreError.duplicateRequestID("p")) {
            try producer.addRequest(requestID: "p", promptTokenIDs: prompt, params: SamplingParams(temperature: 0, maxTokens: 1))
        }
        let freeWhileHeld = producer.scheduler.kvCacheManager.pool.numFreeBlocks

        var decode = KVTransferParams()
        decode.doRemotePrefill = true
        decode.remoteHost = "127.0.0.1"
        decode.remotePort = port
        decode.remoteBlockIDs = handle.blockIDs
        decode.remoteRequestID = "p"
        // Another model file's consumer is refused; so is a wrong block list; the right one is served once.
        let (_, otherModel) = try engine(role: "kv_consumer", port: Self.freePort(), model: "smollm2.Q8_0.gguf:2000")
        #expect {
            try otherModel.pull(decode, promptTokenIDs: prompt)
        } throws: { error in
            "\(error)".contains("another model file")
        }
        var wrong = decode
        wrong.remoteBlockIDs = [0]
        #expect(throws: TCPKVConnector.PullError.self) { try consumerConnector.pull(wrong, promptTokenIDs: prompt) }
        // Another prompt's request for the same blocks is refused by token check.
        #expect(throws: TCPKVConnector.PullError.self) { try consumerConnector.pull(decode, promptTokenIDs: [7] + prompt.dropFirst()) }
        let pulled = try consumerConnector.pull(decode, promptTokenIDs: prompt)
        #expect(pulled.numTokens == prompt.count)
        #expect(pulled.bytes.count == 4 * consumerConnector.bytesPerBlock)
        #expect(throws: TCPKVConnector.PullError.self) { try consumerConnector.pull(decode, promptTokenIDs: prompt) }

        try consumer.addRequest(requestID: "d", promptTokenIDs: prompt, params: EngineCoreModelTests.greedy,
                                kvTransfer: decode, externalKV: pulled)
        let decoded = try Self.run(consumer)
        try alone.addRequest(requestID: "a", promptTokenIDs: prompt, params: EngineCoreModelTests.greedy)
        let reference = try Self.run(alone)
        #expect(decoded.flatMap(\.newTokenIDs) == reference.flatMap(\.newTokenIDs))
        #expect(decoded.flatMap(\.newTokenIDs).count == 24)
        // Only the last prompt token was computed here.
        #expect(decoded.first?.numCachedTokens == prompt.count - 1)
        let sources = consumer.stats.promptTokenSources
        #expect([sources.externalKVTransfer, sources.localCacheHit, sources.localCompute] == [prompt.count - 1, 0, 1] as [Int])

        // The producer frees the pulled prefill's blocks at its next step.
        try producer.addRequest(requestID: "next", promptTokenIDs: [1, 2, 3], params: SamplingParams(temperature: 0, maxTokens: 1))
        _ = try Self.run(producer)
        #expect(producerConnector.numHeld == 0)
        #expect(producer.scheduler.kvCacheManager.pool.numFreeBlocks == freeWhileHeld + 4)
    }

    @Test func configIsCheckedByField() {
        for (json, needle) in [
            (#"{"kv_role": "kv_both"}"#, "kv_connector is required"),
            (#"{"kv_connector": "NixlConnector", "kv_role": "kv_both"}"#, "NixlConnector' is not available"),
            (#"{"kv_connector": "TCPConnector", "kv_role": "both"}"#, "kv_role must be"),
            (#"{"kv_connector": "TCPConnector", "kv_role": "kv_both", "kv_port": 70000}"#, "kv_port"),
            (#"{"kv_connector": "TCPConnector", "kv_role": "kv_both", "kv_rank": 1}"#, "unknown field 'kv_rank'"),
        ] {
            #expect {
                _ = try KVTransferConfig(json: json)
            } throws: { error in
                "\(error)".contains(needle)
            }
        }
    }
}
