/// A batch or cache the forward pass refuses (checked before any kernel runs).
public enum ForwardError: Error, CustomStringConvertible, Equatable {
    /// The cache's block count or block size is not positive, or its size overflows.
    case invalidCacheSize(numBlocks: Int, blockSize: Int)
    /// The cache was built for another model's layers or KV heads.
    case cacheMismatch(reason: String)
    /// An array's length disagrees with the token count (or table shape).
    case lengthMismatch(field: String, count: Int, expected: Int)
    /// More tokens, logits rows or sequences than the model preallocated for.
    case batchTooLarge(field: String, count: Int, max: Int)
    /// An entry is outside its valid range.
    case valueOutOfRange(field: String, index: Int, value: Int, validRange: Range<Int>)

    public var description: String {
        switch self {
        case let .invalidCacheSize(numBlocks, blockSize):
            return "KV cache of \(numBlocks) blocks of \(blockSize) tokens is invalid: both must be positive and the size must fit in memory"
        case let .cacheMismatch(reason):
            return "KV cache does not fit the model: \(reason)"
        case let .lengthMismatch(field, count, expected):
            return "batch field \(field) has \(count) entries, expected \(expected)"
        case let .batchTooLarge(field, count, max):
            return "batch has \(count) \(field), more than the \(max) the model was set up for"
        case let .valueOutOfRange(field, index, value, validRange):
            return "batch field \(field)[\(index)] = \(value) is outside \(validRange.lowerBound)..<\(validRange.upperBound)"
        }
    }
}
