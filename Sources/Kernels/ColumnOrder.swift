/// The order a matrix stores its columns in when that is not the input's (GPTQ's activation
/// order, where columns sit grouped by their quantization group): stored column i multiplies
/// input element `indices[i]`. `Kernels.matmul` multiplies stored columns with x as given, so
/// the caller gathers x into this order first (`gather`).
public final class ColumnOrder: @unchecked Sendable, Equatable {
    public let indices: [Int32]

    /// `indices` must be a permutation of 0..<indices.count.
    public init(_ indices: [Int32]) {
        self.indices = indices
    }

    public static func == (a: ColumnOrder, b: ColumnOrder) -> Bool { a === b || a.indices == b.indices }

    /// out[t, i] = x[t, indices[i]] for numTokens rows of indices.count values.
    public func gather(_ x: UnsafePointer<Float>, numTokens: Int, into out: UnsafeMutablePointer<Float>) {
        let cols = indices.count
        indices.withUnsafeBufferPointer { order in
            for t in 0..<numTokens {
                let source = x + t * cols, target = out + t * cols
                for i in 0..<cols { target[i] = source[Int(order[i])] }
            }
        }
    }
}
