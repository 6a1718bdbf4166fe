import Foundation
import KVEvents
import Testing

/// The block hashes, CBOR and msgpack bytes against Python's cbor2, hashlib and msgpack
/// (Fixtures/kv_events_reference.json, written by scripts/kv-events-reference).
@Suite struct KVEventsReferenceTests {
    struct Chain: Decodable {
        var seed: String
        var salt: String?
        var blockSize: Int
        var tokens: [Int]
        var noneHash: String
        var hashes: [String]
        var ints: [String]
    }

    struct Reference: Decodable {
        var chains: [Chain]
        var cbor: [String: String]
        var msgpackBatch: String
        var msgpackValues: [String: String]
    }

    static let reference: Reference = {
        let url = Bundle.module.url(forResource: "Fixtures/kv_events_reference", withExtension: "json")!
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try! decoder.decode(Reference.self, from: Data(contentsOf: url))
    }()

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func sha256MatchesKnownDigests() {
        #expect(Self.hex(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Self.hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // Two padding blocks (56 bytes of message).
        #expect(Self.hex(SHA256.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func cborMatchesCbor2() {
        let chain = Self.reference.chains[0]
        var seed = CBORWriter()
        seed.text("vllm-none-hash")
        #expect(Self.hex(seed.bytes) == Self.reference.cbor["seed_string"])
        var first = CBORWriter()
        first.arrayHeader(3)
        first.byteString(SHA256CBORBlockHasher().noneHash)
        first.arrayHeader(16)
        for token in chain.tokens.prefix(16) { first.integer(token) }
        first.null()
        #expect(Self.hex(first.bytes) == Self.reference.cbor["first_block"])
        var salted = CBORWriter()
        salted.arrayHeader(3)
        salted.byteString([UInt8](repeating: 1, count: 32))
        salted.arrayHeader(3)
        for token in [1, 2, 3] { salted.integer(token) }
        salted.arrayHeader(1)
        salted.text("tenant-a")
        #expect(Self.hex(salted.bytes) == Self.reference.cbor["salted"])
    }

    /// Every chain (default seed, PYTHONHASHSEED=0, a cache salt) hashes bit for bit as vLLM's.
    @Test func blockHashChainsMatchVLLM() {
        for chain in Self.reference.chains {
            let hasher = SHA256CBORBlockHasher(seed: chain.seed)
            #expect(Self.hex(hasher.noneHash) == chain.noneHash)
            var hashes: [[UInt8]] = []
            hasher.appendHashes(to: &hashes, tokenIDs: chain.tokens, blockSize: chain.blockSize, cacheSalt: chain.salt)
            #expect(hashes.map(Self.hex) == chain.hashes, "seed \(chain.seed) salt \(chain.salt ?? "none")")
            #expect(hashes.map { String(SHA256CBORBlockHasher.eventHash($0)) } == chain.ints)
            // Incremental: one more full block's worth of tokens extends the chain, never rehashes it.
            var grown = Array(hashes.prefix(1))
            hasher.appendHashes(to: &grown, tokenIDs: chain.tokens, blockSize: chain.blockSize, cacheSalt: chain.salt)
            #expect(grown == hashes)
        }
        #expect(SHA256CBORBlockHasher.seedFromEnvironment(["PYTHONHASHSEED": "0"]) == "0")
        #expect(SHA256CBORBlockHasher.seedFromEnvironment([:]) == "vllm-none-hash")
    }

    @Test func messagePackMatchesPython() {
        var negative = MessagePackWriter()
        let negatives = [-1, -32, -33, -200, -40000, -3_000_000_000]
        negative.arrayHeader(negatives.count)
        for value in negatives { negative.integer(value) }
        #expect(Self.hex(negative.bytes) == Self.reference.msgpackValues["neg"])
        var positive = MessagePackWriter()
        let positives: [UInt64] = [127, 128, 255, 256, 65535, 65536, 4_294_967_295, 4_294_967_296, UInt64.max]
        positive.arrayHeader(positives.count)
        for value in positives { positive.unsigned(value) }
        #expect(Self.hex(positive.bytes) == Self.reference.msgpackValues["pos"])
        var strings = MessagePackWriter()
        strings.arrayHeader(4)
        for text in ["", String(repeating: "a", count: 31), String(repeating: "b", count: 32), String(repeating: "c", count: 256)] {
            strings.string(text)
        }
        #expect(Self.hex(strings.bytes) == Self.reference.msgpackValues["str"])
        var binary = MessagePackWriter()
        binary.arrayHeader(2)
        binary.binary([])
        binary.binary([UInt8](repeating: 0, count: 300))
        #expect(Self.hex(binary.bytes) == Self.reference.msgpackValues["bin"])
    }

    @Test func eventBatchMatchesPython() {
        let chain = Self.reference.chains[0]
        let ints = chain.ints.compactMap(UInt64.init)
        let batch = KVEventBatch(timestamp: 1_765_000_000.25, events: [
            .blockStored(blockHashes: ints, parentBlockHash: nil, tokenIDs: Array(chain.tokens.prefix(32)), blockSize: 16),
            .blockRemoved(blockHashes: [ints[1]]),
            .allBlocksCleared,
        ], dataParallelRank: 0)
        #expect(Self.hex(batch.encoded()) == Self.reference.msgpackBatch)
    }
}
