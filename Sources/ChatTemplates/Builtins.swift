import Foundation

/// Global functions: `raise_exception`, `range`, `namespace`, `strftime_now`, `dict`.
enum Builtins {
    static func call(_ function: BuiltinFunction, args: [Value], kwargs: [(String, Value)], options: RenderOptions) throws -> Value {
        switch function {
        case .raiseException:
            throw EvalFailure.raised(try args.first.map { try ValueFormatting.str($0) } ?? "")
        case .range:
            return try range(args, options: options)
        case .namespace:
            let ns = Namespace()
            if let first = args.first {
                guard case .dict(let dict) = first else { throw EvalFailure.type("namespace() positional argument must be a dict") }
                for key in dict.keys { ns.attributes[key] = dict[key] }
            }
            for (key, value) in kwargs { ns.attributes[key] = value }
            return .namespace(ns)
        case .dict:
            var dict = ValueDict()
            for (key, value) in kwargs { dict[key] = value }
            return .dict(dict)
        case .strftimeNow:
            guard case .string(let format)? = args.first else { throw EvalFailure.type("strftime_now() expects a format string") }
            return .string(Strftime.format(format, date: options.now(), timeZone: options.timeZone))
        }
    }

    private static func range(_ args: [Value], options: RenderOptions) throws -> Value {
        let ints = try args.map { v -> Int in
            guard let i = v.integer else { throw EvalFailure.type("'\(v.typeName)' object cannot be interpreted as an integer") }
            return i
        }
        let start: Int, stop: Int, step: Int
        switch ints.count {
        case 1: (start, stop, step) = (0, ints[0], 1)
        case 2: (start, stop, step) = (ints[0], ints[1], 1)
        case 3: (start, stop, step) = (ints[0], ints[1], ints[2])
        default: throw EvalFailure.type("range expected 1 to 3 arguments, got \(ints.count)")
        }
        guard step != 0 else { throw EvalFailure.type("range() arg 3 must not be zero") }
        let span = step > 0 ? Double(stop) - Double(start) : Double(start) - Double(stop)
        let count = span <= 0 ? 0 : Int(min((span / Double(step.magnitude)).rounded(.up), 1e18))
        guard count <= options.maxRangeLength else {
            throw EvalFailure.limit("range() of \(count) items exceeds the limit of \(options.maxRangeLength)")
        }
        var items: [Value] = []
        items.reserveCapacity(count)
        var i = start
        for _ in 0..<count {
            items.append(.int(i))
            i = i.addingReportingOverflow(step).partialValue
        }
        return .list(items)
    }
}

/// C `strftime` for the directives chat templates use (`%d %b %Y` and friends), in English.
enum Strftime {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(_ format: String, date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let year = c.year ?? 1970, month = c.month ?? 1, day = c.day ?? 1
        let hour = c.hour ?? 0, minute = c.minute ?? 0, second = c.second ?? 0
        let weekday = (c.weekday ?? 1) - 1
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 1
        func pad(_ v: Int, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var out = ""
        var iterator = format.makeIterator()
        while let ch = iterator.next() {
            guard ch == "%" else { out.append(ch); continue }
            guard let d = iterator.next() else { out.append("%"); break }
            switch d {
            case "d": out += pad(day)
            case "e": out += day < 10 ? " \(day)" : String(day)
            case "m": out += pad(month)
            case "Y": out += String(year)
            case "y": out += pad(year % 100)
            case "H": out += pad(hour)
            case "I": out += pad(hour % 12 == 0 ? 12 : hour % 12)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "M": out += pad(minute)
            case "S": out += pad(second)
            case "b", "h": out += String(months[month - 1].prefix(3))
            case "B": out += months[month - 1]
            case "a": out += String(weekdays[weekday].prefix(3))
            case "A": out += weekdays[weekday]
            case "w": out += String(weekday)
            case "j": out += pad(dayOfYear, 3)
            case "F": out += "\(year)-\(pad(month))-\(pad(day))"
            case "T": out += "\(pad(hour)):\(pad(minute)):\(pad(second))"
            case "%": out += "%"
            default: out.append("%"); out.append(d)
            }
        }
        return out
    }
}
