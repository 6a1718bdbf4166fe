// ChatTemplates: a Jinja subset interpreter that renders Hugging Face chat templates as Python jinja2
// does with trim_blocks and lstrip_blocks on. A leaf: imports no other engine target.

/// An error raised while parsing or rendering a chat template, or while reading JSON input for one.
/// Lines are 1-based lines of the template source.
public enum TemplateError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The template text is not valid Jinja (unclosed tag, unknown tag, malformed expression).
    case syntax(message: String, line: Int)
    /// The template uses a filter this interpreter does not know.
    case unknownFilter(name: String, line: Int)
    /// The template uses a test (`x is name`) this interpreter does not know.
    case unknownTest(name: String, line: Int)
    /// An undefined value was used where jinja2 raises `UndefinedError` (attribute of undefined, call of undefined...).
    case undefinedValue(message: String, line: Int)
    /// An operation got values of the wrong type (`1 + 'a'`, iterating `none`, division by zero...).
    case typeMismatch(message: String, line: Int)
    /// The template called `raise_exception(message)`.
    case raised(message: String, line: Int)
    /// A safety limit was hit (output size, loop iterations, call depth, nesting).
    case limitExceeded(message: String, line: Int)
    /// Input JSON for the template context could not be parsed.
    case invalidJSON(message: String, offset: Int)

    /// The template line the error refers to, if any.
    public var line: Int? {
        switch self {
        case .syntax(_, let line), .unknownFilter(_, let line), .unknownTest(_, let line),
             .undefinedValue(_, let line), .typeMismatch(_, let line), .raised(_, let line),
             .limitExceeded(_, let line):
            return line
        case .invalidJSON:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .syntax(let message, let line): return "chat template syntax error at line \(line): \(message)"
        case .unknownFilter(let name, let line): return "chat template line \(line): no filter named '\(name)'"
        case .unknownTest(let name, let line): return "chat template line \(line): no test named '\(name)'"
        case .undefinedValue(let message, let line): return "chat template line \(line): \(message)"
        case .typeMismatch(let message, let line): return "chat template line \(line): \(message)"
        case .raised(let message, _): return message
        case .limitExceeded(let message, let line): return "chat template line \(line): \(message)"
        case .invalidJSON(let message, let offset): return "invalid JSON at byte \(offset): \(message)"
        }
    }
}

/// A failure raised while evaluating; the renderer attaches the line of the statement being run.
enum EvalFailure: Error {
    case undefined(String)
    case type(String)
    case raised(String)
    case limit(String)

    func error(line: Int) -> TemplateError {
        switch self {
        case .undefined(let m): return .undefinedValue(message: m, line: line)
        case .type(let m): return .typeMismatch(message: m, line: line)
        case .raised(let m): return .raised(message: m, line: line)
        case .limit(let m): return .limitExceeded(message: m, line: line)
        }
    }
}
