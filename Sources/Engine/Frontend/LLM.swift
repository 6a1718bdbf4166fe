import Foundation
import SwiftletTokenizers

/// The offline batch API, as vLLM's `LLM` class: load a model once, then generate for many
/// prompts at once through the continuous-batching engine; outputs come back in prompt order.
///
///     let llm = try LLM(model: "models/SmolLM2-135M-Instruct.Q4_1.gguf")
///     let outputs = try llm.generate(["Hello", "The capital of France is"], SamplingParams(temperature: 0))
public final class LLM {
    public let core: EngineCore
    public let tokenizer: Tokenizer
    /// Draws a progress bar on stderr when it is a terminal.
    public var showProgress = true
    var numRequests = 0

    /// Loads a .gguf file or a Hugging Face directory and logs the KV pool (blocks, maximum
    /// concurrency) on stderr, as vLLM logs it at start-up.
    public convenience init(model path: String, config: EngineConfig = EngineConfig()) throws {
        try self.init(core: EngineCore.load(path: path, config: config))
        if let summary = core.startupSummary {
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
    }

    /// The engine defaults overridden by the model's generation_config.json.
    public var defaultSamplingParams: SamplingParams { core.defaultSamplingParams }

    public init(core: EngineCore) throws {
        guard let tokenizer = core.tokenizer else {
            throw GenerationError.invalidParams("the engine was made without a tokenizer")
        }
        self.core = core
        self.tokenizer = tokenizer
    }

    /// Generates for text prompts (tokenized with the model's BOS/EOS rules), one params for all;
    /// without params, the model's defaults (`defaultSamplingParams`), as vLLM's `LLM.generate`.
    public func generate(_ prompts: [String], _ params: SamplingParams? = nil) throws -> [RequestOutput] {
        let params = params ?? defaultSamplingParams
        return try generate(tokenIDs: prompts.map { tokenizer.encode($0) }, params: Array(repeating: params, count: prompts.count))
    }

    /// Generates for token-id prompts with one params per prompt; `priorities` (lower runs first)
    /// matter when the engine uses the priority scheduling policy. Each prompt is cut to its last
    /// `truncatePromptTokens` tokens first (`RequestOutput.promptTokenIDs` holds what ran).
    public func generate(tokenIDs prompts: [[Int]], params: [SamplingParams], priorities: [Int]? = nil) throws -> [RequestOutput] {
        guard prompts.count == params.count, priorities.map({ $0.count == prompts.count }) ?? true else {
            throw GenerationError.invalidParams("\(prompts.count) prompts but \(params.count) sampling params and \(priorities?.count ?? prompts.count) priorities")
        }
        let processor = OutputProcessor(tokenizer: tokenizer)
        var ids: [String] = []
        var added: [String] = []
        // Validate and add everything first, so a bad prompt fails before any work is done.
        do {
            for (i, (fullPrompt, p)) in zip(prompts, params).enumerated() {
                let id = String(numRequests)
                numRequests += 1
                ids.append(id)
                let priority = priorities?[i] ?? 0
                let prompt = try p.truncatedPrompt(fullPrompt, maxModelLen: core.config.maxModelLen)
                for child in processor.add(requestID: id, prompt: prompt, params: p, priority: priority, cacheSalt: nil) {
                    try core.addRequest(requestID: child.id, promptTokenIDs: prompt, params: child.params, priority: priority)
                    added.append(child.id)
                }
            }
        } catch {
            core.abortRequests(added)
            throw error
        }
        var finished: [String: RequestOutput] = [:]
        let progress = ProgressBar(total: prompts.count, enabled: showProgress)
        do {
            while core.hasUnfinishedRequests {
                let step = processor.process(try core.step())
                try processor.apply(step, to: core)
                for output in step.outputs where output.finished {
                    finished[output.requestID] = output
                    progress.update(finished.count)
                }
            }
        } catch {
            // Leave none of these requests behind in the engine for a later call to run.
            for id in ids { core.abortRequests(processor.abort(id).childIDs) }
            progress.finish()
            throw error
        }
        progress.finish()
        return ids.compactMap { finished[$0] }
    }
}

/// "Processed prompts: 12/64 [=====>      ]" on stderr, redrawn in place; nothing when stderr
/// is not a terminal.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private let start = ContinuousClock.now

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) != 0 && total > 1
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let elapsed = (ContinuousClock.now - start).secondsValue
        let line = "\rProcessed prompts: \(done)/\(total) [" + String(repeating: "=", count: filled)
            + String(repeating: " ", count: width - filled) + "] " + String(format: "%.1f s", elapsed)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
