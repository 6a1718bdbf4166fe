import Swiftlet

/// Time to the first output token and the time after it, from one request's outputs as they come.
struct RequestTimer {
    private let start = ContinuousClock.now
    private var firstToken: ContinuousClock.Instant?
    private var last = ContinuousClock.now

    mutating func record(_ output: RequestOutput) {
        let now = ContinuousClock.now
        if firstToken == nil && !(output.outputs.first?.tokenIDs.isEmpty ?? true) { firstToken = now }
        last = now
    }

    /// Seconds from the start to the first output token (prefill and first sample).
    var timeToFirstToken: Double { ((firstToken ?? last) - start).secondsValue }

    /// Seconds after the first token.
    var decodeSeconds: Double { (last - (firstToken ?? last)).secondsValue }
}
