/// Regexes (over the decoded string) for the `format` values the compiler enforces: those
/// llguidance enforces (date-time, date, time, duration, email, hostname, ipv4, ipv6, uuid, uri)
/// plus uri-reference, iri and iri-reference. Written here from the RFCs (3339, 5321, 1123, 4291,
/// 4122, 3986, 3987). Any other format is an annotation, as JSON Schema 2020-12 makes it by default:
/// `regex(forFormat:)` gives nil and the compiler does not constrain the string.
enum StringFormats {
    private typealias R = RegexBuilding

    static func regex(forFormat name: String) -> RegexNode? {
        switch name {
        case "date-time": return R.seq(date, R.set("tT"), time)
        case "date": return date
        case "time": return time
        case "duration": return duration
        case "email": return email
        case "hostname": return hostname
        case "ipv4": return ipv4
        case "ipv6": return ipv6
        case "uuid": return uuid
        case "uri": return uri(international: false)
        case "uri-reference": return R.alt(uri(international: false), relativeReference(international: false))
        case "iri": return uri(international: true)
        case "iri-reference": return R.alt(uri(international: true), relativeReference(international: true))
        default: return nil
        }
    }

    private static let digit = R.set("0-9")
    private static let hex = R.set("0-9a-fA-F")

    private static func digits(_ count: Int) -> RegexNode { R.rep(digit, count, count) }

    /// RFC 3339 full-date, with the days each month can have (February up to 29).
    private static let date: RegexNode = {
        let day28 = R.alt(R.seq(R.lit("0"), R.set("1-9")), R.seq(R.set("12"), digit))
        let day30 = R.alt(day28, R.lit("30"))
        let day31 = R.alt(day30, R.lit("31"))
        let month = R.alt(
            R.seq(R.alt(R.lit("01"), R.lit("03"), R.lit("05"), R.lit("07"), R.lit("08"), R.lit("10"), R.lit("12")), R.lit("-"), day31),
            R.seq(R.alt(R.lit("04"), R.lit("06"), R.lit("09"), R.lit("11")), R.lit("-"), day30),
            R.seq(R.lit("02-"), day28))
        return R.seq(digits(4), R.lit("-"), month)
    }()

    /// RFC 3339 full-time: hours, minutes, seconds (60 for a leap second), an optional fraction and
    /// the offset, which RFC 3339 requires.
    private static let time: RegexNode = {
        let hour = R.alt(R.seq(R.set("01"), digit), R.seq(R.lit("2"), R.set("0-3")))
        let minute = R.seq(R.set("0-5"), digit)
        let second = R.alt(minute, R.lit("60"))
        let offset = R.alt(R.set("zZ"), R.seq(R.set("+-"), hour, R.lit(":"), minute))
        return R.seq(hour, R.lit(":"), minute, R.lit(":"), second, R.opt(R.seq(R.lit("."), R.plus(digit))), offset)
    }()

    /// RFC 3339 appendix A duration: `P` then date parts (Y M D, each optional but in order) with an
    /// optional time part, or a time part alone, or weeks.
    private static let duration: RegexNode = {
        func part(_ unit: String) -> RegexNode { R.seq(R.plus(digit), R.lit(unit)) }
        let second = part("S")
        let minute = R.seq(part("M"), R.opt(second))
        let hour = R.seq(part("H"), R.opt(minute))
        let timePart = R.seq(R.lit("T"), R.alt(hour, minute, second))
        let day = part("D")
        let month = R.seq(part("M"), R.opt(day))
        let year = R.seq(part("Y"), R.opt(month))
        let datePart = R.seq(R.alt(year, month, day), R.opt(timePart))
        return R.seq(R.lit("P"), R.alt(datePart, timePart, part("W")))
    }()

    private static let decOctet = R.alt(
        R.seq(R.lit("25"), R.set("0-5")), R.seq(R.lit("2"), R.set("0-4"), digit),
        R.seq(R.lit("1"), digit, digit), R.seq(R.set("1-9"), digit), digit)

    static let ipv4: RegexNode = R.seq(decOctet, R.rep(R.seq(R.lit("."), decOctet), 3, 3))

    /// RFC 4291 (RFC 3986 `IPv6address`) text forms: six groups and the last 32 bits, or up to
    /// `i` groups, "::", and what is left of the eight groups after them.
    static let ipv6: RegexNode = {
        let group = R.rep(hex, 1, 4)
        let groupColon = R.seq(group, R.lit(":"))
        let last32 = R.alt(R.seq(group, R.lit(":"), group), ipv4)
        var forms: [RegexNode] = [R.seq(R.rep(groupColon, 6, 6), last32)]
        for before in 0...7 {
            let head: RegexNode = before == 0 ? .empty : R.opt(R.seq(R.rep(groupColon, 0, before - 1), group))
            let tail: RegexNode
            switch before {
            case 0...5: tail = R.seq(R.rep(groupColon, 5 - before, 5 - before), last32)
            case 6: tail = group
            default: tail = .empty
            }
            forms.append(R.seq(head, R.lit("::"), tail))
        }
        return .alternation(forms)
    }()

    private static let label = R.seq(R.set("a-zA-Z0-9"), R.opt(R.seq(R.rep(R.set("a-zA-Z0-9-"), 0, 61), R.set("a-zA-Z0-9"))))

    /// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
    static let hostname: RegexNode = R.seq(label, R.star(R.seq(R.lit("."), label)))

    /// RFC 5321 mailbox: a dot-string local part, `@`, and a domain or a bracketed IPv4 address.
    private static let email: RegexNode = {
        let atom = R.plus(R.set("a-zA-Z0-9!#$%&'*+/=?^_`{|}~-"))
        let local = R.seq(atom, R.star(R.seq(R.lit("."), atom)))
        return R.seq(local, R.lit("@"), R.alt(hostname, R.seq(R.lit("["), ipv4, R.lit("]"))))
    }()

    private static let uuid: RegexNode = R.seq(
        R.rep(hex, 8, 8), R.lit("-"), R.rep(hex, 4, 4), R.lit("-"), R.rep(hex, 4, 4), R.lit("-"),
        R.rep(hex, 4, 4), R.lit("-"), R.rep(hex, 12, 12))

    /// RFC 3986 (and RFC 3987 with `international`) pieces.
    private struct URIParts {
        let pchar: RegexNode
        /// A path character other than ":" (the first segment of a relative reference).
        let pcharNoColon: RegexNode
        let queryChar: RegexNode
        let authority: RegexNode

        init(international: Bool) {
            let unreserved = "a-zA-Z0-9._~"
            let subDelims = "!$&'()*+,;="
            let percent = R.seq(R.lit("%"), hex, hex)
            var plain = R.set(unreserved + subDelims + ":@-")
            var userPlain = R.set(unreserved + subDelims + ":-")
            var hostPlain = R.set(unreserved + subDelims + "-")
            if international {
                // ucschar: every scalar from U+00A0 on except the surrogates and noncharacters'
                // edges; close enough for IRIs (RFC 3987 2.2).
                let wide: [ClosedRange<UInt32>] = [0xA0...0xD7FF, 0xE000...0x10FFFF]
                plain = Self.widened(plain, wide)
                userPlain = Self.widened(userPlain, wide)
                hostPlain = Self.widened(hostPlain, wide)
            }
            pchar = R.alt(plain, percent)
            if case .scalars(let ranges) = plain {
                pcharNoColon = R.alt(.scalars(ranges.flatMap { StringFormats.removing(58, from: $0) }), percent)
            } else {
                pcharNoColon = pchar
            }
            queryChar = R.alt(pchar, R.set("/?"))
            let userinfo = R.star(R.alt(userPlain, percent))
            let ipLiteral = R.seq(R.lit("["), R.alt(ipv6, R.seq(R.lit("v"), R.plus(hex), R.lit("."), R.plus(R.set(unreserved + subDelims + ":-")))), R.lit("]"))
            let host = R.alt(ipLiteral, R.star(R.alt(hostPlain, percent)))
            authority = R.seq(R.opt(R.seq(userinfo, R.lit("@"))), host, R.opt(R.seq(R.lit(":"), R.star(digit))))
        }

        static func widened(_ node: RegexNode, _ extra: [ClosedRange<UInt32>]) -> RegexNode {
            guard case .scalars(let ranges) = node else { return node }
            return .scalars(RegexBuilding.normalized(ranges + extra))
        }

        var segment: RegexNode { R.star(pchar) }
        var pathAbsoluteOrEmpty: RegexNode { R.star(R.seq(R.lit("/"), segment)) }
        var suffix: RegexNode {
            R.seq(R.opt(R.seq(R.lit("?"), R.star(queryChar))), R.opt(R.seq(R.lit("#"), R.star(queryChar))))
        }
    }

    /// scheme ":" hier-part [ "?" query ] [ "#" fragment ].
    private static func uri(international: Bool) -> RegexNode {
        let parts = URIParts(international: international)
        let scheme = R.seq(R.set("a-zA-Z"), R.star(R.set("a-zA-Z0-9+.-")))
        let rootless = R.seq(R.plus(parts.pchar), parts.pathAbsoluteOrEmpty)
        let hier = R.alt(
            R.seq(R.lit("//"), parts.authority, parts.pathAbsoluteOrEmpty),
            R.seq(R.lit("/"), R.opt(rootless)), rootless, .empty)
        return R.seq(scheme, R.lit(":"), hier, parts.suffix)
    }

    /// relative-ref: a relative part (no scheme; a first segment without ":") with query and fragment.
    private static func relativeReference(international: Bool) -> RegexNode {
        let parts = URIParts(international: international)
        let noScheme = R.seq(R.plus(parts.pcharNoColon), parts.pathAbsoluteOrEmpty)
        let relative = R.alt(
            R.seq(R.lit("//"), parts.authority, parts.pathAbsoluteOrEmpty),
            R.seq(R.lit("/"), R.opt(R.seq(R.plus(parts.pchar), parts.pathAbsoluteOrEmpty))), noScheme, .empty)
        return R.seq(relative, parts.suffix)
    }

    static func removing(_ value: UInt32, from range: ClosedRange<UInt32>) -> [ClosedRange<UInt32>] {
        guard range.contains(value) else { return [range] }
        var result: [ClosedRange<UInt32>] = []
        if range.lowerBound < value { result.append(range.lowerBound...(value - 1)) }
        if value < range.upperBound { result.append((value + 1)...range.upperBound) }
        return result
    }
}
