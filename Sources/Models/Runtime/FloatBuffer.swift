/// An owned, fixed-size, zero-initialized block of `Float`s with a stable address.
///
/// The forward pass works on raw pointers; every scratch buffer, KV cache array and converted
/// norm vector is one of these, allocated once and freed with its owner.
public final class FloatBuffer: @unchecked Sendable {
    /// First element.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int

    /// `count` zeros (`count` must be non-negative; callers check input-derived sizes first).
    public init(count: Int) {
        self.count = count
        pointer = .allocate(capacity: Swift.max(count, 1))
        pointer.initialize(repeating: 0, count: Swift.max(count, 1))
    }

    /// A copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        pointer.deallocate()
    }

    /// Read-only view.
    public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: pointer, count: count) }

    /// The elements as an array (for tests and tools; allocates).
    public var array: [Float] { Array(buffer) }
}

/// Byte count of `dims` elements of `elementSize` bytes, or nil on overflow or a negative size.
func checkedProduct(_ dims: [Int], elementSize: Int = 1) -> Int? {
    var product = elementSize
    for dim in dims {
        guard dim >= 0 else { return nil }
        let (next, overflow) = product.multipliedReportingOverflow(by: dim)
        guard !overflow else { return nil }
        product = next
    }
    return product
}
