#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    /// The zeros come from calloc: large buffers (the KV cache) are mapped lazily, so memory
    /// becomes resident only as the forward pass writes it.
    public init(count: Int) {
        self.count = count
        let raw = calloc(Swift.max(count, 1), MemoryLayout<Float>.stride)
        // calloc fails only when the machine is out of memory; allocate() then traps as Swift's allocator would.
        pointer = raw?.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
            ?? UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
        if raw == nil { pointer.initialize(repeating: 0, count: Swift.max(count, 1)) }
        ownsCalloc = raw != nil
    }

    private let ownsCalloc: Bool

    /// A copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        if ownsCalloc { free(pointer) } else { pointer.deallocate() }
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

/// The sum of non-negative `terms`, or nil when it overflows Int.
func checkedSum(_ terms: [Int]) -> Int? {
    var total = 0
    for term in terms {
        let (sum, overflow) = total.addingReportingOverflow(term)
        if overflow || term < 0 { return nil }
        total = sum
    }
    return total
}
