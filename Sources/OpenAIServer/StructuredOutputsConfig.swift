import SwiftletJSON

/// `serve --structured-outputs-config JSON`: the server's structured-output settings, with vLLM's
/// names where vLLM has the setting (`backend`, `disable_any_whitespace`,
/// `disable_additional_properties`, `enable_in_reasoning`) and this server's own beside them
/// (`whitespace_pattern`, `compile_timeout` in seconds, `max_cached_grammars`).
public struct StructuredOutputsConfig: Sendable, Equatable {
    /// Requests that do not say get no whitespace between JSON tokens.
    public var disableAnyWhitespace = false
    /// Requests that do not say read a schema without `additionalProperties` as allowing none.
    public var disableAdditionalProperties = false
    /// The whitespace allowed between JSON tokens for requests that do not give one.
    public var whitespacePattern: String?
    /// A constraint that takes longer to compile fails its request with a 400.
    public var compileTimeout = 10.0
    /// Most compiled grammars the server keeps.
    public var maxCachedGrammars = 256
    /// Apply the constraint inside the reasoning too, instead of after it (vLLM's `enable_in_reasoning`).
    public var enableInReasoning = false

    public init() {}

    /// Reads the JSON object `--structured-outputs-config` takes; throws a message naming what is wrong.
    public init(json text: String) throws(ConfigError) {
        guard let value = try? JSONValue(parsing: text), let object = value.objectValue else {
            throw ConfigError("--structured-outputs-config must be a JSON object")
        }
        for (key, value) in object {
            func flag() throws(ConfigError) -> Bool {
                guard let flag = value.boolValue else { throw ConfigError("\(key) must be true or false") }
                return flag
            }
            switch key {
            case "backend":
                // One grammar engine here; vLLM's names for "pick one" are accepted.
                guard ["auto", "guidance", "xgrammar"].contains(value.stringValue ?? "") else {
                    throw ConfigError("backend must be auto (this server has one grammar engine), got \(value)")
                }
            case "disable_fallback": _ = try flag()
            case "disable_any_whitespace": disableAnyWhitespace = try flag()
            case "disable_additional_properties": disableAdditionalProperties = try flag()
            case "enable_in_reasoning": enableInReasoning = try flag()
            case "whitespace_pattern":
                guard let pattern = value.stringValue else { throw ConfigError("whitespace_pattern must be a string") }
                whitespacePattern = pattern
            case "compile_timeout":
                guard let seconds = value.doubleValue, seconds > 0, seconds.isFinite else {
                    throw ConfigError("compile_timeout must be a positive number of seconds")
                }
                compileTimeout = seconds
            case "max_cached_grammars":
                guard let count = value.intValue, count >= 1 else { throw ConfigError("max_cached_grammars must be at least 1") }
                maxCachedGrammars = count
            default:
                throw ConfigError("unknown key '\(key)'; known: backend, disable_any_whitespace, disable_additional_properties, "
                                  + "enable_in_reasoning, whitespace_pattern, compile_timeout, max_cached_grammars")
            }
        }
    }

    public struct ConfigError: Error, CustomStringConvertible, Equatable {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}
