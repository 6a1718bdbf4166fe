/// Unicode scalar ranges as sequences of UTF-8 byte ranges: each sequence matches exactly the UTF-8
/// encodings of one piece of the range, and the pieces cover it without overlap. Surrogates are
/// left out (they have no UTF-8 form), so a byte automaton built from these accepts only
/// well-formed UTF-8: no overlong forms, nothing above U+10FFFF.
enum UTF8Ranges {
    /// The byte-range sequences of `range`, in increasing scalar order.
    static func sequences(_ range: ClosedRange<UInt32>) -> [[ClosedRange<UInt8>]] {
        var result: [[ClosedRange<UInt8>]] = []
        split(range.lowerBound, min(range.upperBound, 0x10FFFF), into: &result)
        return result
    }

    /// The number of bytes of the UTF-8 form of `scalar`.
    static func length(_ scalar: UInt32) -> Int {
        scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
    }

    /// The UTF-8 bytes of `scalar` (which must not be a surrogate).
    static func encode(_ scalar: UInt32) -> [UInt8] {
        switch length(scalar) {
        case 1: return [UInt8(scalar)]
        case 2: return [UInt8(0xC0 | scalar >> 6), continuation(scalar)]
        case 3: return [UInt8(0xE0 | scalar >> 12), continuation(scalar >> 6), continuation(scalar)]
        default:
            return [UInt8(0xF0 | scalar >> 18), continuation(scalar >> 12), continuation(scalar >> 6), continuation(scalar)]
        }
    }

    private static func continuation(_ bits: UInt32) -> UInt8 { UInt8(0x80 | bits & 0x3F) }

    private static func split(_ low: UInt32, _ high: UInt32, into result: inout [[ClosedRange<UInt8>]]) {
        guard low <= high else { return }
        // Leave out the surrogates.
        if low <= 0xDFFF && high >= 0xD800 {
            if low < 0xD800 { split(low, 0xD7FF, into: &result) }
            if high > 0xDFFF { split(0xE000, high, into: &result) }
            return
        }
        // One encoded length per piece.
        for last in [0x7F, 0x7FF, 0xFFFF] as [UInt32] where low <= last && high > last {
            split(low, last, into: &result)
            split(last + 1, high, into: &result)
            return
        }
        // Split until, for every number k of trailing continuation bytes, the two ends either agree
        // above their low 6k bits or span all of them: then the range is the product of its
        // bytewise ranges.
        let numBytes = length(low)
        for numTrailing in 1..<max(numBytes, 1) {
            let mask: UInt32 = (1 << (6 * UInt32(numTrailing))) - 1
            guard low & ~mask != high & ~mask else { continue }
            if low & mask != 0 {
                split(low, low | mask, into: &result)
                split((low | mask) + 1, high, into: &result)
                return
            }
            if high & mask != mask {
                split(low, (high & ~mask) - 1, into: &result)
                split(high & ~mask, high, into: &result)
                return
            }
        }
        let lows = encode(low)
        let highs = encode(high)
        result.append(zip(lows, highs).map { $0...$1 })
    }
}
