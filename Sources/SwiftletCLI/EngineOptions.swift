import ArgumentParser
import Foundation
import Swiftlet

/// The engine's flags, named like `vllm serve`'s.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "Context length in tokens (default: the model's, lowered to what the KV cache holds).")
    var maxModelLen: Int?

    @Option(name: .long, help: "Most requests running at once.")
    var maxNumSeqs = 256

    @Option(name: .long, help: "Token budget of one engine step (prefill chunks and decodes together).")
    var maxNumBatchedTokens = 512

    @Option(name: .customLong("target-step-time-ms"), help: "Wanted milliseconds per engine step: each step's token budget (at most --max-num-batched-tokens) is what the engine's measured steps say fits, running decodes first and prefill chunks sized to the rest, so a long prompt does not stall the streams. 0 turns it off (every step may take --max-num-batched-tokens).")
    var targetStepTimeMs = 50.0

    @Option(name: .long, help: "Tokens per KV cache block.")
    var blockSize = 16

    @Option(name: .long, help: "KV cache size, e.g. 2GiB or 512MiB (default: 40% of the available memory, capped at what max-num-seqs requests of max-model-len need).")
    var kvCacheMemory: String?

    @Option(name: .long, help: "KV cache size in bytes (vLLM's spelling of --kv-cache-memory).")
    var kvCacheMemoryBytes: Int?

    @Option(name: .customLong("kv-cache-dtype"), help: "KV cache element type: auto (float16), float32, float16, bfloat16, fp8 (= fp8_e4m3) or fp8_e5m2.")
    var kvCacheDType = "auto"

    @Flag(name: .long, inversion: .prefixedNo, help: "Automatic prefix caching.")
    var enablePrefixCaching = true

    @Option(name: .long, help: "Which free KV block is used next: reuse-freed (blocks already used, a freed block holding nothing cacheable first, so resident memory follows the peak in use) or vllm (vLLM's order: never-used blocks first, the prefix cache keeps the most, the whole KV pool becomes resident over a long run).")
    var kvBlockOrder = FreeBlockOrder.reuseFreed.rawValue

    @Flag(name: .long, help: "Keep every key of sliding-window layers (Gemma 3) in the one KV pool instead of a second pool whose blocks are freed as they leave the window.")
    var disableHybridKVCacheManager = false

    @Option(name: .long, help: ArgumentHelp(OnlineQuantization.flagHelp))
    var quantization: String?

    @Option(name: .customLong("speculative-config"), help: ArgumentHelp(SpeculativeConfig.flagHelp))
    var speculativeConfig: String?

    @Option(name: .customLong("kv-events-config"), help: "KV cache events, vLLM's JSON: {\"enable_kv_cache_events\": true, \"publisher\": \"zmq\", \"endpoint\": \"tcp://*:5557\", \"replay_endpoint\": \"tcp://*:5558\", \"topic\": \"\"} publishes every block the prefix cache stores or evicts (sha256_cbor hashes, msgpack over ZeroMQ) for KV-aware routers.")
    var kvEventsConfig: String?

    @Option(name: .customLong("kv-transfer-config"), help: "Prefill/decode disaggregation, vLLM's JSON: {\"kv_connector\": \"TCPConnector\", \"kv_role\": \"kv_producer|kv_consumer|kv_both\", \"kv_ip\": \"127.0.0.1\", \"kv_port\": 14579}. A producer keeps the KV of requests with kv_transfer_params.do_remote_decode for a consumer to pull over TCP; a consumer pulls it for do_remote_prefill requests (vllm-router --vllm-pd-disaggregation sends both).")
    var kvTransferConfig: String?

    @Option(name: .long, help: "A directory for the prefix cache's disk tier: every cached block is also written there (named by its sha256_cbor hash) and later prompts load what memory lost, also after a restart.")
    var kvOffloadDir: String?

    @Option(name: .long, help: "Most bytes the disk tier keeps (oldest files go first), e.g. 4GiB.")
    var kvOffloadSize = "4GiB"

    @Option(name: .long, help: "Block hash of KV cache events: sha256_cbor (vLLM's; seeded by PYTHONHASHSEED or vLLM's default seed). The prefix cache itself matches blocks by exact content whatever this says.")
    var prefixCachingHashAlgo = "sha256_cbor"

    @Option(name: .long, help: "fcfs, or priority (lower `priority` values run first).")
    var schedulingPolicy = "fcfs"

    @Option(name: .long, help: "Worker threads (default: every core).")
    var threads: Int?

    func config(defaultMaxModelLen: Int? = nil) throws -> EngineConfig {
        guard let policy = SchedulingPolicy(rawValue: schedulingPolicy) else {
            throw ValidationError("--scheduling-policy must be fcfs or priority, got '\(schedulingPolicy)'")
        }
        var config = EngineConfig(maxModelLen: maxModelLen ?? defaultMaxModelLen, maxNumSeqs: maxNumSeqs,
                                  maxNumBatchedTokens: maxNumBatchedTokens, blockSize: blockSize,
                                  enablePrefixCaching: enablePrefixCaching,
                                  schedulingPolicy: policy, numThreads: threads)
        config.kvCacheDType = try KVCacheDType.parsing(flag: kvCacheDType)
        config.disableHybridKVCacheManager = disableHybridKVCacheManager
        guard let order = FreeBlockOrder(rawValue: kvBlockOrder) else {
            throw ValidationError("--kv-block-order must be one of \(FreeBlockOrder.allCases.map(\.rawValue).joined(separator: ", ")), got '\(kvBlockOrder)'")
        }
        config.freeBlockOrder = order
        config.quantization = try OnlineQuantization.parsing(flag: quantization)
        config.speculativeConfig = try SpeculativeConfig.parsing(flag: speculativeConfig)
        guard targetStepTimeMs.isFinite, targetStepTimeMs >= 0 else {
            throw ValidationError("--target-step-time-ms must be a non-negative number of milliseconds, got \(targetStepTimeMs)")
        }
        config.targetStepTime = targetStepTimeMs > 0 ? targetStepTimeMs / 1000 : nil
        guard prefixCachingHashAlgo == "sha256_cbor" else {
            throw ValidationError("--prefix-caching-hash-algo: only sha256_cbor is supported (vLLM's sha256 hashes Python pickles and the xxhash ones are seeded per process), got '\(prefixCachingHashAlgo)'")
        }
        config.kvOffloadDir = kvOffloadDir
        config.kvOffloadBytes = try ByteSize.parse(kvOffloadSize)
        if let kvTransferConfig {
            do { config.kvTransferConfig = try KVTransferConfig(json: kvTransferConfig) } catch { throw ValidationError("\(error)") }
        }
        if let kvEventsConfig {
            do { config.kvEventsConfig = try KVEventsConfig(json: kvEventsConfig) } catch { throw ValidationError("\(error)") }
        }
        if let kvCacheMemoryBytes { config.kvCacheMemoryBytes = kvCacheMemoryBytes }
        if let kvCacheMemory { config.kvCacheMemoryBytes = try ByteSize.parse(kvCacheMemory) }
        return config
    }
}

extension KVCacheDType {
    /// The value of `--kv-cache-dtype` (serve's engine flags and the single-request commands').
    static func parsing(flag: String) throws -> KVCacheDType {
        guard let dtype = KVCacheDType(flag: flag) else {
            throw ValidationError("--kv-cache-dtype must be auto, float32, float16, bfloat16, fp8, fp8_e4m3 or fp8_e5m2, got '\(flag)'")
        }
        return dtype
    }
}
