extension RegexNode {
    /// Whether all of `bytes` matches this regex: the slow reference twin of `LexemeDFA`, for tests
    /// and debugging. It follows the definitions directly (the set of end offsets each part can
    /// reach from a start offset), with the standard library's UTF-8 decoder for `scalars`, so it
    /// shares no code with the automaton. Polynomial, not fast: not for untrusted input.
    public func matches(_ bytes: [UInt8]) -> Bool {
        ends(from: 0, in: bytes).contains(bytes.count)
    }

    /// Every offset where a match of this regex that begins at `start` can end.
    func ends(from start: Int, in bytes: [UInt8]) -> Set<Int> {
        switch self {
        case .empty:
            return [start]
        case .never:
            return []
        case .literal(let text):
            let utf8 = Array(text.utf8)
            guard bytes.count - start >= utf8.count, Array(bytes[start..<start + utf8.count]) == utf8 else { return [] }
            return [start + utf8.count]
        case .scalars(let ranges):
            guard let (scalar, length) = Self.decodeScalar(bytes, at: start),
                  ranges.contains(where: { $0.contains(scalar.value) }) else { return [] }
            return [start + length]
        case .bytes(let ranges):
            guard start < bytes.count, ranges.contains(where: { $0.contains(bytes[start]) }) else { return [] }
            return [start + 1]
        case .concat(let parts):
            var current: Set<Int> = [start]
            for part in parts {
                current = Set(current.flatMap { part.ends(from: $0, in: bytes) })
            }
            return current
        case .alternation(let branches):
            return Set(branches.flatMap { $0.ends(from: start, in: bytes) })
        case .repetition(let body, let min, let max):
            // Exactly `min` repetitions, then breadth-first up to `max - min` more; an offset reached
            // in fewer steps leaves at least as many steps for what follows it.
            var current: Set<Int> = [start]
            for _ in 0..<min {
                current = Set(current.flatMap { body.ends(from: $0, in: bytes) })
                if current.isEmpty { return [] }
            }
            var reached = current
            var frontier = current
            var extra = 0
            while !frontier.isEmpty, max.map({ extra < $0 - min }) ?? true {
                frontier = Set(frontier.flatMap { body.ends(from: $0, in: bytes) }).subtracting(reached)
                reached.formUnion(frontier)
                extra += 1
            }
            return reached
        }
    }

    /// The scalar whose well-formed UTF-8 begins at `offset`, and its length in bytes.
    static func decodeScalar(_ bytes: [UInt8], at offset: Int) -> (Unicode.Scalar, Int)? {
        guard offset < bytes.count else { return nil }
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return (scalar, UTF8.width(scalar))
    }
}
