import Foundation
import Kernels

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
    public var schedulingPolicy: SchedulingPolicy = .fcfs
    /// Worker threads; nil uses every core.
    public var numThreads: Int?
    /// Allow `prompt_logprobs` (costs a logits row per batch token: maxNumBatchedTokens x vocab floats).
    public var enablePromptLogprobs = false
    public var maxLogprobs = 20
    /// Element type of the KV cache (`--kv-cache-dtype`); its size sets the bytes per token.
    public var kvCacheDType = KVCacheDType.defaultType
    /// Wanted seconds per engine step (`--target-step-time-ms`): each step's token budget is what
    /// the engine's measured steps say fits, decodes first (`StepTimeBudget`); nil or 0 keeps
    /// `maxNumBatchedTokens` for every step.
    public var targetStepTime: Double?

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
    public func resolve(modelMaxLen: Int, kvBytesPerToken: Int,
                        memoryAvailableBytes: Int? = nil) throws(EngineCoreError) -> SchedulerConfig {
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
        let wantedLen = maxModelLen ?? modelMaxLen
        let (blockBytes, overflow) = blockSize.multipliedReportingOverflow(by: kvBytesPerToken)
        guard !overflow else { throw .invalidConfig("block-size \(blockSize) is too large") }
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
            bytes = min(share, needed)
        }
        // KVCacheStorage addresses slots with Int32.
        let numBlocks = min(bytes / blockBytes, Int(Int32.max) / blockSize)
        let capacity = numBlocks * blockSize
        let len = maxModelLen ?? min(wantedLen, capacity)
        guard numBlocks >= 1, len >= 2, capacity >= len else {
            let neededBytes = ((len + blockSize - 1) / blockSize).multipliedReportingOverflow(by: blockBytes)
            throw .kvCacheTooSmall(maxModelLen: max(len, 2), capacityTokens: capacity,
                                   neededBytes: neededBytes.overflow ? Int.max : max(neededBytes.partialValue, 2 * blockBytes),
                                   availableBytes: bytes)
        }
        return SchedulerConfig(maxModelLen: len, maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens,
                               blockSize: blockSize, numBlocks: numBlocks, enablePrefixCaching: enablePrefixCaching,
                               schedulingPolicy: schedulingPolicy, enablePromptLogprobs: enablePromptLogprobs,
                               maxLogprobs: maxLogprobs, targetStepTime: targetStepTime.flatMap { $0 > 0 ? $0 : nil })
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
    public func startupSummary(kvBytesPerToken: Int, kvCacheDType: KVCacheDType? = nil) -> String {
        let mib = Double(numBlocks) * Double(blockSize) * Double(kvBytesPerToken) / 1_048_576
        let type = kvCacheDType.map { ", \($0.rawValue)" } ?? ""
        let concurrency = (maxConcurrency * 100).rounded(.down) / 100
        return "KV cache: \(numBlocks) blocks of \(blockSize) tokens (\(String(format: "%.1f", mib)) MiB\(type)); max-model-len \(maxModelLen); maximum concurrency for \(maxModelLen)-token requests: \(String(format: "%.2f", concurrency))x; max-num-seqs \(maxNumSeqs), max-num-batched-tokens \(maxNumBatchedTokens)"
    }
}
