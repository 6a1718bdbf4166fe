import Kernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits engine steps into `ProfileCategory` shares by laps: each `lap(category)` charges the
/// time since the previous lap to `category`, less the time the pool's caller spent waiting at
/// joins in between, which goes to `.synchronization`. The forward pass laps after each op of
/// each layer when `LlamaModel.profiler` is set (one optional test per op when it is nil).
/// Laps accumulate into the current step; `commitStep()` adds it to the totals and
/// `discardStep()` drops it (e.g. steps that are not pure decodes of the batch under test).
/// Not thread-safe: the thread that drives the steps owns it.
public final class ForwardProfiler {
    /// The pool whose join waits are separated out (its join timing is switched on).
    public let pool: WorkerPool?
    /// Committed nanoseconds per category. [ProfileCategory.allCases.count]
    private let totals: UnsafeMutablePointer<UInt64>
    /// Nanoseconds of the step in progress per category. [ProfileCategory.allCases.count]
    private let pending: UnsafeMutablePointer<UInt64>
    private var lastLap: UInt64 = 0
    private var lastJoinWait: UInt64 = 0
    /// Steps added by `commitStep()`.
    public private(set) var numSteps = 0
    /// Tokens of the latest forward pass.
    public private(set) var lastForwardNumTokens = 0
    /// Logits rows of the latest forward pass (1 per sequence in a pure decode step).
    public private(set) var lastForwardNumLogitsRows = 0

    /// A profiler that times joins of `pool` (nil: no synchronization row).
    public init(pool: WorkerPool?) {
        self.pool = pool
        let count = ProfileCategory.allCases.count
        totals = .allocate(capacity: count)
        totals.initialize(repeating: 0, count: count)
        pending = .allocate(capacity: count)
        pending.initialize(repeating: 0, count: count)
        pool?.setJoinTiming(true)
        restart()
    }

    deinit {
        pool?.setJoinTiming(false)
        totals.deallocate()
        pending.deallocate()
    }

    /// Starts the next lap now, charging nothing for the time since the previous one.
    public func restart() {
        lastLap = Self.nowNanoseconds()
        lastJoinWait = pool?.joinWaitNanoseconds ?? 0
    }

    /// Charges the time since the previous lap to `category` (join waits to `.synchronization`).
    @inline(__always)
    public func lap(_ category: ProfileCategory) {
        let now = Self.nowNanoseconds()
        let joinWait = pool?.joinWaitNanoseconds ?? 0
        let elapsed = now &- lastLap
        let waited = min(joinWait &- lastJoinWait, elapsed)
        pending[category.rawValue] &+= elapsed - waited
        pending[ProfileCategory.synchronization.rawValue] &+= waited
        lastLap = now
        lastJoinWait = joinWait
    }

    /// Called by the forward pass as it starts: charges the time since the previous lap to
    /// `.scheduling` (batch building, validation) and notes the batch's shape.
    public func beginForward(numTokens: Int, numLogitsRows: Int) {
        lap(.scheduling)
        lastForwardNumTokens = numTokens
        lastForwardNumLogitsRows = numLogitsRows
    }

    /// Adds the step in progress to the totals.
    public func commitStep() {
        for i in 0..<ProfileCategory.allCases.count {
            totals[i] &+= pending[i]
            pending[i] = 0
        }
        numSteps += 1
    }

    /// Drops the step in progress.
    public func discardStep() {
        pending.update(repeating: 0, count: ProfileCategory.allCases.count)
    }

    /// Committed seconds of `category`.
    public func seconds(_ category: ProfileCategory) -> Double {
        Double(totals[category.rawValue]) / 1e9
    }

    /// Committed seconds of every category.
    public var totalSeconds: Double {
        ProfileCategory.allCases.reduce(0) { $0 + seconds($1) }
    }

    /// CLOCK_MONOTONIC in nanoseconds (a vDSO call, no system call).
    @inline(__always)
    static func nowNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
