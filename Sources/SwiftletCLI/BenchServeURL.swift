/// A plain-HTTP base URL (`http://HOST[:PORT][/prefix]`) split into what a socket needs.
struct BenchServeURL: Equatable {
    /// Host name or address literal (IPv6 without brackets).
    var host: String
    /// TCP port (80 when the URL names none).
    var port: Int
    /// The path prefix before the endpoint, without a trailing slash ("" for none).
    var pathPrefix: String
}

extension BenchServeURL {
    /// Parses `text`; only `http` is supported (the bench talks to local servers).
    init(parsing text: String) throws(BenchServeError) {
        guard text.hasPrefix("http://") else { throw .invalidURL(text) }
        var rest = Substring(text.dropFirst("http://".count))
        var prefix = ""
        if let slash = rest.firstIndex(of: "/") {
            prefix = String(rest[slash...])
            rest = rest[..<slash]
        }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        var hostPart = rest
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidURL(text) }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw .invalidURL(text) }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw .invalidURL(text) }
        var port = 80
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else { throw .invalidURL(text) }
            port = value
        }
        self.init(host: String(hostPart), port: port, pathPrefix: prefix)
    }
}
