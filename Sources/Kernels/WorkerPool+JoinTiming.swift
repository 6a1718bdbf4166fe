import CKernels

extension WorkerPool {
    /// Whether loops record how long the calling thread waits at the join for chunks still
    /// running on other threads (after running its own). Off by default; when off a loop pays
    /// one flag test. Set it between loops, from the thread that runs them.
    public func setJoinTiming(_ enabled: Bool) {
        sw_pool_set_join_timing(handle, enabled ? 1 : 0)
    }

    /// Total nanoseconds the caller has waited at joins while join timing was on (monotonic,
    /// never reset: profiles take differences). Read between loops.
    public var joinWaitNanoseconds: UInt64 { sw_pool_join_wait_ns(handle) }

    /// Loops with more than one thread that ran while join timing was on.
    public var numTimedJoins: UInt64 { sw_pool_num_timed_joins(handle) }
}
