import Foundation

/// Runs work that recurses as deep as its input nests (JSON Schema compilation, instance
/// ordering) on a thread of its own with a 64 MiB stack. Swift concurrency's and Dispatch's
/// threads have small stacks, and a deep enough schema overflows them past the guard page into
/// other memory instead of faulting cleanly.
public enum LargeStack {
    public static let stackSize = 64 << 20

    /// Runs `body` on a new large-stack thread and waits for it.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        let outcome = Outcome<T>()
        let done = DispatchSemaphore(value: 0)
        start {
            outcome.result = Result { try body() }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }

    /// Starts `body` on a new large-stack thread and returns at once.
    public static func start(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = stackSize
        thread.start()
    }

    private final class Outcome<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
