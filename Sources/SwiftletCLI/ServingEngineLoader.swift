import ArgumentParser
import Foundation
import OpenAIServer
import Swiftlet

/// What `serve` and `run-batch` load before their first request: the engine core (prompt logprobs
/// kept, as they are a per-request field), the model's chat template and the running async engine.
struct ServingEngineLoader {
    let core: EngineCore
    let template: ChatPromptTemplate?
    let engine: AsyncEngine

    /// Loads `model` with `config` and starts the engine; the caller shuts it down.
    /// `chatTemplate`: a Jinja file used instead of the model's own.
    init(model: String, config: EngineConfig, maxLogprobs: Int, chatTemplate: String?) throws {
        var config = config
        config.maxLogprobs = maxLogprobs
        // prompt_logprobs is a per-request field over HTTP, as vLLM's: keep the logits rows for it.
        config.enablePromptLogprobs = true
        core = try EngineCore.load(path: model, config: config)
        if let summary = core.startupSummary { printError(summary) }
        template = try? ModelFiles.open(model).chatTemplate(overridePath: chatTemplate)
        if chatTemplate != nil && template == nil {
            throw ValidationError("cannot read the chat template \(chatTemplate ?? "")")
        }
        if template == nil { printError("this model has no chat template: chat requests will answer 400") }
        engine = try AsyncEngine(core: core)
        engine.start()
    }
}
