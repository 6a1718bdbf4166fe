import ArgumentParser
import Foundation
import Swiftlet

/// Steps an engine core to completion and measures it: elapsed time, time to first token per
/// request, tokens computed, and how much of the KV memory in use holds tokens.
final class ThroughputMeter {
    let core: EngineCore
    private(set) var firstTokenSeconds: [String: Double] = [:]
    private(set) var numOutputTokens = 0
    private(set) var elapsed = 0.0
    private(set) var numSteps = 0
    /// Per step with requests running: tokens whose KV the running requests hold, and the cache
    /// slots of the blocks in use.
    private var heldTokens = 0
    private var usedSlots = 0
    private var reservedSlots = 0

    init(core: EngineCore) {
        self.core = core
    }

    func run(start: ContinuousClock.Instant) throws {
        let numBlocks = core.config.numBlocks
        let blockSize = core.config.blockSize
        while core.hasUnfinishedRequests {
            let outputs = try core.step()
            numSteps += 1
            let now = (ContinuousClock.now - start).secondsValue
            for output in outputs where !output.newTokenIDs.isEmpty {
                numOutputTokens += output.newTokenIDs.count
                if firstTokenSeconds[output.requestID] == nil { firstTokenSeconds[output.requestID] = now }
            }
            // KV in use against what it holds (prefix caching off gives the plain measure).
            let running = core.scheduler.running
            if !running.isEmpty {
                var tokens = 0
                for request in running { tokens += request.numComputedTokens }
                heldTokens += tokens
                usedSlots += Int((core.stats.kvCacheUsage * Double(numBlocks)).rounded()) * blockSize
                reservedSlots += running.count * core.config.maxModelLen
            }
        }
        elapsed = (ContinuousClock.now - start).secondsValue
    }

    struct Report {
        var figures: Figures
        var lines: [String]
        func text(model: String, numPrompts: Int, inputLen: Int, outputLen: Int, sharedPrefixLen: Int, prefixCaching: Bool) -> String {
            (["model: \(model)",
              "workload: \(numPrompts) prompts x (\(sharedPrefixLen > 0 ? "\(sharedPrefixLen) shared + " : "")\(inputLen) prompt tokens, \(outputLen) output tokens), prefix caching \(prefixCaching ? "on" : "off")"]
             + lines).joined(separator: "\n")
        }
    }

    func report(prompts: [[Int]], outputLen: Int) -> Report {
        let stats = core.stats
        let numPromptTokens = prompts.reduce(0) { $0 + $1.count }
        let ttfts = firstTokenSeconds.values.sorted()
        let meanTTFT = ttfts.isEmpty ? 0 : ttfts.reduce(0, +) / Double(ttfts.count)
        let computedPrefill = numPromptTokens - stats.prefixCacheHits
        let hitRate = stats.prefixCacheQueries > 0 ? Double(stats.prefixCacheHits) / Double(stats.prefixCacheQueries) : 0
        let kvUsedFraction = usedSlots > 0 ? Double(heldTokens) / Double(usedSlots) : 0
        let kvReservedFraction = reservedSlots > 0 ? Double(heldTokens) / Double(reservedSlots) : 0
        let figures = Figures(
            elapsedTime: elapsed, numRequests: prompts.count, totalNumTokens: numPromptTokens + numOutputTokens,
            requestsPerSecond: Double(prompts.count) / elapsed, tokensPerSecond: Double(numPromptTokens + numOutputTokens) / elapsed,
            outputTokensPerSecond: Double(numOutputTokens) / elapsed, meanTtftS: meanTTFT,
            medianTtftS: ttfts.isEmpty ? 0 : ttfts[ttfts.count / 2], promptTokens: numPromptTokens,
            prefillTokensComputed: computedPrefill, prefixCacheQueries: stats.prefixCacheQueries,
            prefixCacheHits: stats.prefixCacheHits, prefixCacheHitRate: hitRate, numPreemptions: stats.numPreemptions,
            numSteps: numSteps, kvTokensPerUsedSlot: kvUsedFraction, kvTokensPerReservedSlot: kvReservedFraction)
        let lines = [
            String(format: "throughput: %.2f requests/s, %.1f total tokens/s, %.1f output tokens/s (%.2f s, %d steps)",
                   Double(prompts.count) / elapsed, Double(numPromptTokens + numOutputTokens) / elapsed,
                   Double(numOutputTokens) / elapsed, elapsed, numSteps),
            String(format: "time to first token: mean %.3f s, median %.3f s", meanTTFT, ttfts.isEmpty ? 0 : ttfts[ttfts.count / 2]),
            String(format: "prefill: %d prompt tokens, %d computed, prefix cache hit rate %.1f%% (%d of %d tokens)",
                   numPromptTokens, computedPrefill, hitRate * 100, stats.prefixCacheHits, stats.prefixCacheQueries),
            "preemptions: \(stats.numPreemptions)",
            kvUsedFraction > 1
                ? String(format: "KV memory: running requests hold %.1fx as many tokens as the slots in use (prefix blocks shared between requests)", kvUsedFraction)
                : String(format: "KV memory: %.1f%% of the slots in used blocks hold tokens (waste %.1f%%); a per-request reservation of max-model-len would hold %.1f%%",
                         kvUsedFraction * 100, (1 - kvUsedFraction) * 100, kvReservedFraction * 100),
        ]
        return Report(figures: figures, lines: lines)
    }

    /// What `bench throughput --output-json` writes.
    struct Figures: Encodable {
        var elapsedTime: Double
        var numRequests: Int
        var totalNumTokens: Int
        var requestsPerSecond: Double
        var tokensPerSecond: Double
        var outputTokensPerSecond: Double
        var meanTtftS: Double
        var medianTtftS: Double
        var promptTokens: Int
        var prefillTokensComputed: Int
        var prefixCacheQueries: Int
        var prefixCacheHits: Int
        var prefixCacheHitRate: Double
        var numPreemptions: Int
        var numSteps: Int
        var kvTokensPerUsedSlot: Double
        var kvTokensPerReservedSlot: Double
    }
}

/// Sizes as vLLM's flags take them: 2GiB, 512MiB, 1.5GB, or plain bytes.
enum ByteSize {
    static func parse(_ text: String) throws -> Int {
        let units: [(String, Double)] = [("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1024), ("GB", 1e9), ("MB", 1e6),
                                         ("KB", 1e3), ("G", 1_073_741_824), ("M", 1_048_576), ("K", 1024), ("B", 1)]
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            if let value = Double(trimmed.dropLast(suffix.count)), value > 0, value * scale < 1e18 { return Int(value * scale) }
        }
        if let value = Int(trimmed), value > 0 { return value }
        throw ValidationError("'\(text)' is not a size (examples: 2GiB, 512MiB, 1000000)")
    }
}
