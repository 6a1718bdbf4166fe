/// Identity of a full block's content: the chain of every token before and in it, plus extra keys.
///
/// Exact by construction: the manager's `BlockHasher` interns each distinct (parent identity, token
/// ids, extra keys) into a serial number that is never reused, and equality compares that serial.
/// `value` is a content hash used only to spread dictionary buckets, so a hash collision can never
/// make two different contents equal (and thus never serve wrong KV).
public struct BlockHash: Hashable, Sendable {
    /// Interned identity; unique per distinct content chain for the lifetime of the hasher.
    public let serial: UInt64
    /// Content hash of the chain (bucket spreading only; may collide).
    public let value: UInt64
    /// Identifies the hasher that issued `serial`.
    let namespace: UInt64

    init(serial: UInt64, value: UInt64, namespace: UInt64) {
        self.serial = serial
        self.value = value
        self.namespace = namespace
    }

    public static func == (lhs: BlockHash, rhs: BlockHash) -> Bool {
        lhs.serial == rhs.serial && lhs.namespace == rhs.namespace
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}

extension BlockHash: CustomStringConvertible {
    public var description: String { "#\(serial)" }
}
