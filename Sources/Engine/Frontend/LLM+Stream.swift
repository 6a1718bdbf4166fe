extension LLM {
    /// Runs one request through the engine and hands `onOutput` its output after every step that
    /// changed it (the new text in each completion's `deltaText`), the finished one last. Return
    /// false from `onOutput` to abort the request: the output returned then has finish reason
    /// abort. This is the path of `swiftlet generate`, `chat` and `bench latency`, so whatever the
    /// engine applies (stop strings, logits processors, prefix caching) applies there too.
    public func generate(tokenIDs fullPrompt: [Int], params: SamplingParams,
                         onOutput: (RequestOutput) throws -> Bool) throws -> RequestOutput {
        let (core, tokenizer) = (try core, try tokenizer)
        let processor = OutputProcessor(tokenizer: tokenizer)
        let id = String(numRequests)
        numRequests += 1
        let prompt = try params.truncatedPrompt(fullPrompt, maxModelLen: core.config.maxModelLen)
        do {
            for child in processor.add(requestID: id, prompt: prompt, params: params, priority: 0, cacheSalt: nil) {
                try core.addRequest(requestID: child.id, promptTokenIDs: prompt, params: child.params)
            }
            while core.hasUnfinishedRequests {
                let step = processor.process(try core.step())
                try processor.apply(step, to: core)
                for output in step.outputs where output.requestID == id {
                    let proceed = try onOutput(output)
                    if output.finished { return output }
                    if !proceed {
                        let aborted = processor.abort(id)
                        core.abortRequests(aborted.childIDs)
                        return aborted.output ?? output
                    }
                }
            }
        } catch {
            // Leave nothing of the request behind in the engine.
            core.abortRequests(processor.abort(id).childIDs)
            throw error
        }
        // Unreachable while the scheduler keeps its promise that every request ends.
        throw EngineCoreError.inconsistentBatch("the engine ran out of work before request \(id) finished")
    }
}
