import Foundation

/// The progress of a batch run, written as vLLM's run-batch bar:
/// `Running batch:  40% Completed | 4/10 [00:02<00:03,  1.60req/s]`.
public struct BatchProgress: Sendable, Equatable {
    public var total: Int
    public var completed = 0
    public var start: Date

    public init(total: Int, completed: Int = 0, start: Date) {
        self.total = total
        self.completed = completed
        self.start = start
    }

    /// The bar's text at `now`.
    public func line(now: Date = Date()) -> String {
        let elapsed = max(0, now.timeIntervalSince(start))
        let percent = total == 0 ? 100 : completed * 100 / total
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let remaining = rate > 0 ? Self.clock(Double(total - completed) / rate) : "?"
        let percentText = String(repeating: " ", count: max(0, 3 - String(percent).count)) + String(percent)
        return "Running batch: \(percentText)% Completed | \(completed)/\(total) [\(Self.clock(elapsed))<\(remaining), \(String(format: "%.2f", rate))req/s]"
    }

    /// `mm:ss`, or `h:mm:ss` from an hour.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        let tail = String(format: "%02d:%02d", minutes, secs)
        return hours > 0 ? "\(hours):\(tail)" : tail
    }
}
