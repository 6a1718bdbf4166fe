import Foundation

/// Cross-origin resource sharing as `vllm serve` configures it (`--allowed-origins`,
/// `--allowed-methods`, `--allowed-headers`, `--allow-credentials`; Starlette's CORSMiddleware
/// behaviour): preflight `OPTIONS` requests are answered here, and responses to requests with an
/// `Origin` get `Access-Control-*` headers when the origin is allowed.
public struct CORSPolicy: Sendable, Equatable {
    /// Origins allowed to call the API; `*` allows every origin.
    public var allowedOrigins: [String]
    /// Methods a preflight may ask for; `*` allows every method.
    public var allowedMethods: [String]
    /// Request headers a preflight may ask for; `*` allows every header.
    public var allowedHeaders: [String]
    /// Sends `Access-Control-Allow-Credentials: true` (and names the origin instead of `*`).
    public var allowCredentials: Bool

    /// Headers browsers always allow (CORS-safelisted), accepted whatever `allowedHeaders` says.
    static let safelistedHeaders: Set<String> = ["accept", "accept-language", "content-language", "content-type"]
    /// What `*` stands for in `allowedMethods`.
    static let allMethods = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    /// Seconds browsers may cache a preflight answer.
    static let maxAge = "600"

    /// vLLM's defaults: every origin, method and header, no credentials.
    public init(allowedOrigins: [String] = ["*"], allowedMethods: [String] = ["*"], allowedHeaders: [String] = ["*"],
                allowCredentials: Bool = false) {
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.allowCredentials = allowCredentials
    }

    var allowsAllOrigins: Bool { allowedOrigins.contains("*") }
    var allowsAllHeaders: Bool { allowedHeaders.contains("*") }
    var methods: [String] { allowedMethods.contains("*") ? Self.allMethods : allowedMethods.map { $0.uppercased() } }

    func allows(origin: String) -> Bool {
        allowsAllOrigins || allowedOrigins.contains(origin)
    }

    /// The answer to a preflight: status 200 ("OK") or 400 ("Disallowed CORS origin, method,
    /// headers" naming what failed), and its headers. `requestHeaders` is the
    /// `Access-Control-Request-Headers` value as sent (comma-separated), if any.
    func preflight(origin: String, method: String, requestHeaders: String?) -> (status: Int, body: String, headers: [(String, String)]) {
        var headers: [(String, String)] = []
        var failures: [String] = []
        let explicitOrigin = !allowsAllOrigins || allowCredentials
        if allows(origin: origin) {
            headers.append(("Access-Control-Allow-Origin", explicitOrigin ? origin : "*"))
        } else {
            failures.append("origin")
        }
        if explicitOrigin { headers.append(("Vary", "Origin")) }
        let methods = self.methods
        headers.append(("Access-Control-Allow-Methods", methods.joined(separator: ", ")))
        headers.append(("Access-Control-Max-Age", Self.maxAge))
        if !methods.contains(method.uppercased()) { failures.append("method") }
        if allowsAllHeaders {
            if let requestHeaders { headers.append(("Access-Control-Allow-Headers", requestHeaders)) }
        } else {
            let allowed = Self.safelistedHeaders.union(allowedHeaders.map { $0.lowercased() })
            headers.append(("Access-Control-Allow-Headers", allowed.sorted().joined(separator: ", ")))
            let asked = (requestHeaders ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            if asked.contains(where: { !allowed.contains($0) }) { failures.append("headers") }
        }
        if allowCredentials { headers.append(("Access-Control-Allow-Credentials", "true")) }
        if failures.isEmpty { return (200, "OK", headers) }
        return (400, "Disallowed CORS " + failures.joined(separator: ", "), headers)
    }

    /// The headers an actual (non-preflight) response gets for a request from `origin`; none when
    /// the origin is not allowed. `hasCookie`: the request carries cookies (the origin is then
    /// named even when every origin is allowed).
    func responseHeaders(origin: String, hasCookie: Bool) -> [(String, String)] {
        guard allows(origin: origin) else { return [] }
        var headers: [(String, String)] = []
        if allowsAllOrigins && !hasCookie {
            headers.append(("Access-Control-Allow-Origin", "*"))
        } else {
            headers.append(("Access-Control-Allow-Origin", origin))
            headers.append(("Vary", "Origin"))
        }
        if allowCredentials { headers.append(("Access-Control-Allow-Credentials", "true")) }
        return headers
    }
}
