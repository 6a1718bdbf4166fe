import Foundation

/// Clock and safety limits for rendering a chat template.
public struct RenderOptions: Sendable {
    /// The time `strftime_now` formats (transformers uses the current local time).
    public var now: @Sendable () -> Date = { Date() }
    /// Time zone `strftime_now` formats in.
    public var timeZone: TimeZone = .current
    /// Largest rendered output, in UTF-8 bytes.
    public var maxOutputBytes = 16 << 20
    /// Most loop iterations plus macro calls one render may run.
    public var maxIterations = 1_000_000
    /// Deepest macro call nesting (stops runaway recursion).
    public var maxCallDepth = 64
    /// Most items `range()` may produce.
    public var maxRangeLength = 1_000_000

    /// Default options: current time, generous limits.
    public init() {}
}
