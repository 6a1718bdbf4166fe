import ArgumentParser
import OpenAIServer
import SwiftletJSON

/// `swiftlet serve`'s CORS flags, spelled as `vllm serve`'s (JSON lists).
struct ServeCORSOptions: ParsableArguments {
    @Option(name: .long, help: "Allowed origins, a JSON list (default: [\"*\"]).")
    var allowedOrigins = #"["*"]"#

    @Option(name: .long, help: "Allowed methods, a JSON list (default: [\"*\"]).")
    var allowedMethods = #"["*"]"#

    @Option(name: .long, help: "Allowed headers, a JSON list (default: [\"*\"]).")
    var allowedHeaders = #"["*"]"#

    @Flag(name: .long, help: "Allow credentials (cookies, authorization headers) on cross-origin requests.")
    var allowCredentials = false

    /// The policy, or a validation error naming the flag whose value is not a JSON list of strings.
    func policy() throws -> CORSPolicy {
        CORSPolicy(allowedOrigins: try Self.list(allowedOrigins, flag: "--allowed-origins"),
                   allowedMethods: try Self.list(allowedMethods, flag: "--allowed-methods"),
                   allowedHeaders: try Self.list(allowedHeaders, flag: "--allowed-headers"),
                   allowCredentials: allowCredentials)
    }

    static func list(_ text: String, flag: String) throws -> [String] {
        guard let items = (try? JSONValue(parsing: text))?.arrayValue,
              case let strings = items.compactMap(\.stringValue), strings.count == items.count else {
            throw ValidationError("\(flag) must be a JSON list of strings, e.g. '[\"http://localhost:3000\"]', got '\(text)'")
        }
        return strings
    }
}
