/// One request's token statistics for the presence, frequency and repetition penalties, kept
/// incrementally: `update(outputTokenIDs:)` counts only the tokens added since the last call.
public final class TokenCounts {
    /// Distinct prompt token ids (repetition penalty).
    public let promptIDs: Set<Int>
    /// Occurrences of each output token id (frequency / presence penalties, repetition penalty).
    public private(set) var outputCounts: [Int: Int] = [:]
    /// Output tokens already counted.
    public private(set) var numCountedOutputTokens = 0

    public init(promptTokenIDs: [Int]) {
        promptIDs = Set(promptTokenIDs)
    }

    /// Counts the output tokens added since the last call (all of them if the list got shorter).
    public func update(outputTokenIDs: [Int]) {
        if outputTokenIDs.count < numCountedOutputTokens {
            outputCounts.removeAll(keepingCapacity: true)
            numCountedOutputTokens = 0
        }
        for id in outputTokenIDs[numCountedOutputTokens...] { outputCounts[id, default: 0] += 1 }
        numCountedOutputTokens = outputTokenIDs.count
    }
}
