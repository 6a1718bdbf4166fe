import Engine

extension ServingContext {
    /// Compiles the request's constraint, checks capacity, logs the request and hands its prompts
    /// to the engine (the first one pulling its KV from a prefill instance when `transfer` says
    /// so); the requests are aborted when `watcher`'s client goes away.
    func start(prompts: [[Int]], requestIDs: [String], params: SamplingParams, fields: SamplingFields,
               transfer: KVTransferParams?, watcher: ConnectionWatcher?) async throws -> OutputMerger {
        try await compileConstraint(params)
        try checkCapacity()
        logReceived(ids: requestIDs, prompts: prompts, params: params)
        let pulled = await KVTransferRequest.transfer(transfer, prompt: prompts[0], requestID: requestIDs[0], context: self)
        let merger = OutputMerger(engine: engine, metrics: metrics, prompts: prompts, params: params, requestIDs: requestIDs,
                                  priority: fields.priority ?? 0, cacheSalt: fields.cacheSalt, transfer: pulled)
        merger.abortOnDisconnect(watcher)
        return merger
    }
}
