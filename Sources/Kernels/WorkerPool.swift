import CKernels

/// One persistent pool of threads for all parallel loops (created once; the calling thread
/// takes part). `parallelFor(n)` splits 0..<n into contiguous chunks, one per worker index:
/// index w always gets [n*w/T, n*(w+1)/T) (and its own scratch slot). Whichever thread is free
/// first runs a chunk, so the caller also runs chunks of threads the OS has not scheduled yet.
/// Idle threads spin for about 100 us, then sleep (futex/condition variable): no CPU burnt
/// while idle, no allocation per loop. Loops from several threads run one after another; a
/// loop body must not start another loop on the same pool (that stops with a message).
public final class WorkerPool: @unchecked Sendable {
    let handle: OpaquePointer  // internal: WorkerPool+JoinTiming reads its counters
    /// Threads that run each loop, the caller included.
    public let numThreads: Int
    private var scratchBase: UnsafeMutablePointer<Float>?
    private var scratchCapacity = 0  // floats per worker
    private var sharedBase: UnsafeMutableRawPointer?
    private var sharedCapacity = 0  // bytes

    /// A pool of `numThreads` workers (the caller plus numThreads - 1 threads); 1 runs inline.
    public init(numThreads: Int) {
        guard let handle = sw_pool_create(Int32(clamping: max(1, numThreads))) else {
            fatalError("WorkerPool: cannot allocate the pool")
        }
        self.handle = handle
        self.numThreads = Int(sw_pool_num_threads(handle))
    }

    deinit {
        sw_pool_destroy(handle)
        scratchBase?.deallocate()
        sharedBase?.deallocate()
    }

    /// Runs `body(range, worker)` for the chunks of 0..<count, one per worker, and returns when
    /// all are done. Chunk boundaries depend only on `count` and `numThreads`. Calls from
    /// several threads are serialized; a body must not start another loop on the same pool.
    public func parallelFor(_ count: Int, _ body: (_ range: Range<Int>, _ worker: Int) -> Void) {
        if count <= 0 { return }
        lock()
        defer { sw_pool_unlock(handle) }
        runLocked(count, body)
    }

    /// `parallelFor` whose body also gets this worker's scratch of `scratchFloats` floats
    /// (64-byte aligned, reused across calls; grown under the lock when too small).
    func parallelFor(_ count: Int, scratchFloats: Int,
                     _ body: (_ range: Range<Int>, _ worker: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        if count <= 0 { return }
        lock()
        defer { sw_pool_unlock(handle) }
        runLocked(count, scratchFloats: scratchFloats, body)
    }

    private func runLocked(_ count: Int, scratchFloats: Int,
                           _ body: (_ range: Range<Int>, _ worker: Int, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let stride = (scratchFloats + 15) / 16 * 16
        if scratchBase == nil || stride > scratchCapacity {
            scratchBase?.deallocate()
            let raw = UnsafeMutableRawPointer.allocate(byteCount: stride * numThreads * 4, alignment: 64)
            scratchBase = raw.bindMemory(to: Float.self, capacity: stride * numThreads)
            scratchCapacity = stride
        }
        guard let base = scratchBase else { return }
        let workerStride = scratchCapacity
        runLocked(count) { range, worker in body(range, worker, base + worker * workerStride) }
    }

    /// Runs `body(range, scratch)` over 0..<count in pieces of `grain`, claimed from a shared
    /// counter by whichever worker is free (a preempted thread delays only the piece it holds).
    /// Bodies must compute each output independently of the piece boundaries.
    @_spi(Testing)
    public func forEachPiece(_ count: Int, grain: Int, scratchFloats: Int,
                      _ body: (_ range: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        if count <= 0 { return }
        lock()
        defer { sw_pool_unlock(handle) }
        piecesLocked(count, grain: grain, scratchFloats: scratchFloats, body)
    }

    /// `forEachPiece` after a preparing step, both under one hold of the caller lock and both
    /// given one buffer of `sharedBytes` bytes (64-byte aligned, reused, grown when too small):
    /// `prepare(range, shared)` runs over 0..<prepareCount in one chunk per worker when
    /// `parallelPrepare`, else on the caller as one range; the pieces start after it is done.
    @_spi(Testing)
    public func forEachPiece(_ count: Int, grain: Int, scratchFloats: Int, sharedBytes: Int,
                             prepareCount: Int, parallelPrepare: Bool,
                             prepare: (_ range: Range<Int>, _ shared: UnsafeMutableRawPointer) -> Void,
                             _ body: (_ range: Range<Int>, _ scratch: UnsafeMutablePointer<Float>,
                                      _ shared: UnsafeMutableRawPointer) -> Void) {
        if count <= 0 { return }
        lock()
        defer { sw_pool_unlock(handle) }
        if sharedBase == nil || sharedBytes > sharedCapacity {
            sharedBase?.deallocate()
            sharedCapacity = max(sharedBytes, 64)
            sharedBase = UnsafeMutableRawPointer.allocate(byteCount: sharedCapacity, alignment: 64)
        }
        guard let shared = sharedBase else { return }
        if prepareCount > 0 {
            if parallelPrepare {
                runLocked(prepareCount) { range, _ in prepare(range, shared) }
            } else {
                prepare(0..<prepareCount, shared)
            }
        }
        piecesLocked(count, grain: grain, scratchFloats: scratchFloats) { range, scratch in body(range, scratch, shared) }
    }

    private func piecesLocked(_ count: Int, grain: Int, scratchFloats: Int,
                              _ body: (_ range: Range<Int>, _ scratch: UnsafeMutablePointer<Float>) -> Void) {
        let step = max(1, grain)
        runLocked(numThreads, scratchFloats: scratchFloats) { _, _, scratch in
            while true {
                let start = Int(sw_pool_claim(handle, Int64(step)))
                if start >= count { return }
                body(start..<min(start + step, count), scratch)
            }
        }
    }

    /// Pieces per worker that `forEachPiece` callers aim for (load balance vs claim overhead).
    static let piecesPerWorker = 8

    /// Takes the caller lock; a loop started from inside a loop body of this pool is a
    /// programming error that would deadlock, so it stops with a message instead.
    private func lock() {
        if sw_pool_in_body(handle) != 0 {
            preconditionFailure("WorkerPool: parallelFor called from inside a parallelFor body of the same pool")
        }
        sw_pool_lock(handle)
    }

    /// Always through the C pool (which runs inline with one thread), so the claim counter is
    /// reset and nested loops are detected the same way for every pool size.
    private func runLocked(_ count: Int, _ body: (_ range: Range<Int>, _ worker: Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            var closure = escapable
            withUnsafeMutablePointer(to: &closure) { pointer in
                sw_pool_run(handle, Int64(count), workerPoolTrampoline, UnsafeMutableRawPointer(pointer))
            }
        }
    }
}

private typealias LoopBody = (Range<Int>, Int) -> Void

/// Calls the loop body whose address the pool passes as context.
private let workerPoolTrampoline: sw_pool_body = { context, start, end, worker in
    guard let context else { return }
    let body = context.assumingMemoryBound(to: LoopBody.self).pointee
    body(Int(start)..<Int(end), Int(worker))
}
