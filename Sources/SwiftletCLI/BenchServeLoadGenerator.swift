import Foundation
import Swiftlet

/// Sends the prompts at a request rate (Poisson arrivals, or all at once for `inf`) with at most
/// `maxConcurrency` in flight. Each in-flight request runs on its own `Thread`, so blocking socket
/// reads never take Swift's cooperative thread pool.
struct BenchServeLoadGenerator {
    /// Sends and measures one request.
    var sender: BenchServeRequestSender
    /// Requests in flight at most (nil: no limit).
    var maxConcurrency: Int?
    /// Mean requests per second (`.infinity`: send as fast as the concurrency limit allows).
    var requestRate: Double
    /// Seeds the arrival intervals.
    var seed: UInt64

    /// Per-request results in prompt order, and the wall time of the whole run in seconds.
    func run(_ prompts: [BenchServePrompt]) -> (results: [BenchServeRequestResult], duration: Double) {
        let store = BenchServeResultStore(count: prompts.count)
        let slots = DispatchSemaphore(value: max(1, maxConcurrency ?? prompts.count))
        let group = DispatchGroup()
        var random = RandomGenerator(seed: seed)
        let start = BenchServeClock.seconds()
        var nextSend = 0.0
        for (index, prompt) in prompts.enumerated() {
            if requestRate.isFinite, requestRate > 0 {
                let wait = start + nextSend - BenchServeClock.seconds()
                if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                // Exponential gaps: a Poisson process with `requestRate` arrivals per second.
                nextSend += -Foundation.log(1 - random.nextUnit()) / requestRate
            }
            slots.wait()
            group.enter()
            let sender = sender
            let thread = Thread {
                let result = sender.send(prompt: prompt.text, promptLen: prompt.promptLen)
                store.set(result, at: index)
                slots.signal()
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return (store.results, BenchServeClock.seconds() - start)
    }
}

/// Results written by the request threads, one slot per prompt.
final class BenchServeResultStore: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [BenchServeRequestResult]

    init(count: Int) {
        slots = Array(repeating: BenchServeRequestResult(error: "not sent"), count: count)
    }

    /// Stores the result of prompt `index`.
    func set(_ result: BenchServeRequestResult, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        if slots.indices.contains(index) { slots[index] = result }
    }

    /// All results, in prompt order.
    var results: [BenchServeRequestResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}
