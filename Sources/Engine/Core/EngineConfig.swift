import KVCache
import KVEvents
import Foundation
import Kernels
import Models

/// The engine's knobs, vLLM's names; nil means "derive it". `resolve` turns them into a
/// `SchedulerConfig` for a model and the machine's memory.
public struct EngineConfig: Sendable, Equatable {
    /// Longest sequence; nil takes the model's context length, lowered to what the KV cache holds.
    public var maxModelLen: Int?
    /// Most requests running at once.
    public var maxNumSeqs = 256
    /// Token budget of one step. 512 on the CPU: batched matmuls already reuse each weight tile
    /// across hundreds of tokens, while a larger step delays every running decode by the whole
    /// prefill chunk and grows the activation scratch linearly.
    public var maxNumBatchedTokens = 512
    /// Tokens per KV block.
    public var blockSize = 16
    /// KV cache bytes; nil takes `kvCacheMemoryFraction` of the available memory, capped at what
    /// `maxNumSeqs` requests of `maxModelLen` tokens need.
    public var kvCacheMemoryBytes: Int?
    /// Share of MemAvailable (/proc/meminfo) for the KV cache when `kvCacheMemoryBytes` is nil.
    public var kvCacheMemoryFraction = 0.4
    public var enablePrefixCaching = true
    /// Which free KV block is handed out next (`--kv-block-order`).
    public var freeBlockOrder: FreeBlockOrder = .reuseFreed
    public var schedulingPolicy: SchedulingPolicy = .fcfs
    /// Worker threads; nil uses every core.
    public var numThreads: Int?
    /// Allow `prompt_logprobs` (costs a logits row per batch token: maxNumBatchedTokens x vocab floats).
    public var enablePromptLogprobs = false
    public var maxLogprobs = 20
    /// Element type of the KV cache (`--kv-cache-dtype`); its size sets the bytes per token.
    public var kvCacheDType = KVCacheDType.defaultType
    /// Quantize an unquantized Hugging Face checkpoint's projections at load (`--quantization`).
    public var quantization: OnlineQuantization?
    /// Wanted seconds per engine step (`--target-step-time-ms`): each step's token budget is what
    /// the engine's measured steps say fits, decodes first (`StepTimeBudget`); nil or 0 keeps
    /// `maxNumBatchedTokens` for every step.
    public var targetStepTime: Double?
    /// Keep every key of sliding-window layers in the one pool (`--disable-hybrid-kv-cache-manager`)
    /// instead of giving those layers their own pool whose blocks are freed as they leave the window.
    public var disableHybridKVCacheManager = false
    /// Speculative decoding (`--speculative-config`); nil decodes one token per step.
    public var speculativeConfig: SpeculativeConfig?
    /// KV cache events (`--kv-events-config`); nil or not publishing: none.
    public var kvEventsConfig: KVEventsConfig?
    /// Prefill/decode disaggregation (`--kv-transfer-config`); nil: none.
    public var kvTransferConfig: KVTransferConfig?
    /// The prefix cache's disk tier (`--kv-offload-dir`) and its size bound (`--kv-offload-size`).
    public var kvOffloadDir: String?
    public var kvOffloadBytes = 4 << 30

    public init(maxModelLen: Int? = nil, maxNumSeqs: Int = 256, maxNumBatchedTokens: Int = 512, blockSize: Int = 16,
                kvCacheMemoryBytes: Int? = nil, enablePrefixCaching: Bool = true,
                schedulingPolicy: SchedulingPolicy = .fcfs, numThreads: Int? = nil, enablePromptLogprobs: Bool = false) {
        self.maxModelLen = maxModelLen
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.blockSize = blockSize
        self.kvCacheMemoryBytes = kvCacheMemoryBytes
        self.enablePrefixCaching = enablePrefixCaching
        self.schedulingPolicy = schedulingPolicy
        self.numThreads = numThreads
        self.enablePromptLogprobs = enablePromptLogprobs
    }

    /// Sizes the KV pool: `numBlocks` = KV bytes / (blockSize * kvBytesPerToken). Throws when one
    /// request of max-model-len tokens cannot fit, or a setting is out of range.
    /// - Parameters:
    ///   - modelMaxLen: the model's context length.
    ///   - kvBytesPerToken: 2 * layers * KV heads * head dim * kvCacheDType.byteCount
    ///     (`ModelRunner.kvBytesPerToken(_:dtype:)`).
    ///   - memoryAvailableBytes: free memory (nil reads `EngineConfig.memoryAvailableBytes()`).
    ///   - slidingWindow: a model with sliding-window layers: the window and those layers' share
    ///     of `kvBytesPerToken`. Unless `disableHybridKVCacheManager`, they get a second pool sized for
    ///     `maxNumSeqs` windows plus a step's chunk each, and the rest of the memory goes to the first.
    public func resolve(modelMaxLen: Int, kvBytesPerToken: Int, memoryAvailableBytes: Int? = nil,
                        slidingWindow: (window: Int, kvBytesPerToken: Int)? = nil) throws(EngineCoreError) -> SchedulerConfig {
        guard maxNumSeqs >= 1, maxNumBatchedTokens >= 1, blockSize >= 1, kvBytesPerToken >= 1, modelMaxLen >= 2 else {
            throw .invalidConfig("max-num-seqs (\(maxNumSeqs)), max-num-batched-tokens (\(maxNumBatchedTokens)) and block-size (\(blockSize)) must be positive, and the model context (\(modelMaxLen)) at least 2")
        }
        guard (0...1).contains(kvCacheMemoryFraction), maxLogprobs >= 0 else {
            throw .invalidConfig("the KV cache memory fraction must be in 0...1 and max-logprobs >= 0")
        }
        if let targetStepTime, !(targetStepTime.isFinite && targetStepTime >= 0) {
            throw .invalidConfig("the target step time must be a non-negative number of milliseconds (0 turns it off)")
        }
        if let maxModelLen {
            guard maxModelLen >= 2 else { throw .invalidConfig("max-model-len must be at least 2 (one prompt and one output token)") }
            guard maxModelLen <= modelMaxLen else { throw .maxModelLenAboveModel(maxModelLen: maxModelLen, modelMaxLen: modelMaxLen) }
        }
        try speculativeConfig?.validate()
        let wantedLen = maxModelLen ?? modelMaxLen
        let hybrid = disableHybridKVCacheManager ? nil : slidingWindow.flatMap {
            $0.window > 0 && $0.kvBytesPerToken > 0 && $0.kvBytesPerToken < kvBytesPerToken ? $0 : nil
        }
        let (blockBytes, overflow) = blockSize.multipliedReportingOverflow(by: kvBytesPerToken - (hybrid?.kvBytesPerToken ?? 0))
        guard !overflow else { throw .invalidConfig("block-size \(blockSize) is too large") }
        // the sliding pool: a window and a step's chunk per sequence, plus its null block
        let slidingBlockBytes = blockSize * (hybrid?.kvBytesPerToken ?? 0)
        let slidingPerSeq = hybrid.map { ($0.window + blockSize - 2) / blockSize + 1 + (maxNumBatchedTokens + blockSize - 1) / blockSize } ?? 0
        let wantedSliding = hybrid == nil ? 0 : maxNumSeqs.multipliedReportingOverflow(by: slidingPerSeq).partialValue + 1
        let bytes: Int
        if let kvCacheMemoryBytes {
            guard kvCacheMemoryBytes >= 0 else { throw .invalidConfig("the KV cache memory must not be negative") }
            bytes = kvCacheMemoryBytes
        } else {
            let available = memoryAvailableBytes ?? Self.memoryAvailableBytes()
            let share = Int(Double(available) * kvCacheMemoryFraction)
            let blocksPerSeq = (wantedLen + blockSize - 1) / blockSize
            let needed = [maxNumSeqs, blocksPerSeq, blockBytes].reduce(1) { product, factor in
                let (value, overflow) = product.multipliedReportingOverflow(by: factor)
                return overflow ? Int.max : value
            }
            let slidingNeeded = wantedSliding.multipliedReportingOverflow(by: slidingBlockBytes)
            bytes = min(share, slidingNeeded.overflow || needed > Int.max - slidingNeeded.partialValue
                        ? Int.max : needed + slidingNeeded.partialValue)
        }
        // The sliding pool takes its wanted share (at least one sequence's window), the rest is the
        // full pool's. KVCacheStorage addresses slots with Int32.
        var numSlidingBlocks = 0
        if hybrid != nil {
            let fullShare = Double(bytes) * Double(blockBytes) / Double(blockBytes + slidingBlockBytes)
            numSlidingBlocks = max(slidingPerSeq + 1, min(wantedSliding, Int((Double(bytes) - fullShare) / Double(slidingBlockBytes))))
        }
        let numBlocks = min(max(0, bytes - numSlidingBlocks * slidingBlockBytes) / blockBytes, Int(Int32.max) / blockSize)
        numSlidingBlocks = min(numSlidingBlocks, numBlocks)
        let capacity = numBlocks * blockSize
        let len = maxModelLen ?? min(wantedLen, capacity)
        guard numBlocks >= 1, len >= 2, capacity >= len else {
            let neededBytes = ((len + blockSize - 1) / blockSize).multipliedReportingOverflow(by: blockBytes)
            throw .kvCacheTooSmall(maxModelLen: max(len, 2), capacityTokens: capacity,
                                   neededBytes: neededBytes.overflow ? Int.max : max(neededBytes.partialValue, 2 * blockBytes),
                                   availableBytes: bytes)
        }
        var config = SchedulerConfig(maxModelLen: len, maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens,
                                     blockSize: blockSize, numBlocks: numBlocks, enablePrefixCaching: enablePrefixCaching,
                                     schedulingPolicy: schedulingPolicy, enablePromptLogprobs: enablePromptLogprobs,
                                     maxLogprobs: maxLogprobs, targetStepTime: targetStepTime.flatMap { $0 > 0 ? $0 : nil },
                                     slidingWindow: hybrid?.window, numSlidingBlocks: hybrid == nil ? nil : numSlidingBlocks)
        config.speculativeConfig = speculativeConfig
        config.freeBlockOrder = freeBlockOrder
        return config
    }

    /// MemAvailable from /proc/meminfo in bytes; elsewhere (or unreadable) half the physical memory.
    public static func memoryAvailableBytes() -> Int {
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let kib = parseMemAvailable(text) {
            return kib.multipliedReportingOverflow(by: 1024).overflow ? Int.max : kib * 1024
        }
        return Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
    }

    /// The MemAvailable line's value in KiB.
    static func parseMemAvailable(_ meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 2 ? Int(fields[1]) : nil
        }
        return nil
    }
}

extension SchedulerConfig {
    /// The start-up log line: pool size (and element type when given), context length and how
    /// many full-length requests fit.
    /// `slidingKVBytesPerToken`: the sliding-window layers' share of `kvBytesPerToken` (a hybrid cache).
    public func startupSummary(kvBytesPerToken: Int, kvCacheDType: KVCacheDType? = nil, slidingKVBytesPerToken: Int = 0) -> String {
        let sliding = numSlidingBlocks.map { (blocks: $0, bytes: slidingKVBytesPerToken) }
        let fullBytes = Double(kvBytesPerToken - (sliding?.bytes ?? 0))
        let mib = Double(numBlocks) * Double(blockSize) * fullBytes / 1_048_576
        let type = kvCacheDType.map { ", \($0.rawValue)" } ?? ""
        let concurrency = (maxConcurrency * 100).rounded(.down) / 100
        var pools = "\(numBlocks) blocks of \(blockSize) tokens (\(String(format: "%.1f", mib)) MiB\(type))"
        if let sliding {
            let slidingMiB = String(format: "%.1f", Double(sliding.blocks * blockSize * sliding.bytes) / 1_048_576)
            pools += " for the full-attention layers and \(sliding.blocks) (\(slidingMiB) MiB) for the sliding-window layers (window \(slidingWindow ?? 0))"
        }
        return "KV cache: \(pools); max-model-len \(maxModelLen); maximum concurrency for \(maxModelLen)-token requests: \(String(format: "%.2f", concurrency))x; max-num-seqs \(maxNumSeqs), max-num-batched-tokens \(maxNumBatchedTokens)"
    }
}
