/// The elements (or keys) of the arrays and objects still open while parsing, innermost last. When a
/// container closes, its elements move out into an array of exactly their number: one allocation per
/// container and no copies, where appending to a growing array would reallocate small ones several times.
struct JSONStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// Elements on the stack.
    private(set) var count = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    mutating func push(_ element: consuming Element) {
        if count == capacity {
            let larger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = larger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Removes the elements from position `start` up and returns them in order.
    mutating func pop(from start: Int) -> [Element] {
        let source = base + start
        let popped = count - start
        count = start
        // Not `Array(unsafeUninitializedCapacity:)`: that one is not specialized and looks up the array's
        // type at run time on every call, a fifth of the time of a tokenizer.json full of [a, b] pairs.
        var elements: [Element] = []
        elements.reserveCapacity(popped)
        for offset in 0..<popped { elements.append((source + offset).move()) }
        return elements
    }
}
