import Foundation
import Testing
@testable import ChatTemplates

/// One jinja2-rendered reference case from `Fixtures/*_cases.json`.
struct ReferenceCase {
    let name: String
    let source: String
    let context: TemplateObject
    let expected: String?
    let errorType: String?
    let errorMessage: String?
}

enum Fixtures {
    static func url(_ path: String) throws -> URL {
        let base = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return base.appendingPathComponent(path)
    }

    static func cases(_ file: String) throws -> [ReferenceCase] {
        let json = try TemplateValue(jsonData: try Data(contentsOf: try url(file)))
        guard case .array(let items) = json else { throw TemplateError.invalidJSON(message: "expected a list", offset: 0) }
        return try items.map { item in
            let source: String
            if let inline = item["source"]?.stringValue {
                source = inline
            } else {
                let file = try #require(item["template"]?.stringValue)
                source = try String(contentsOf: try url("templates/" + file), encoding: .utf8)
            }
            guard case .object(let context)? = item["context"] else { throw TemplateError.invalidJSON(message: "context", offset: 0) }
            return ReferenceCase(name: try #require(item["name"]?.stringValue), source: source, context: context,
                                 expected: item["expected"]?.stringValue, errorType: item["error_type"]?.stringValue,
                                 errorMessage: item["error_message"]?.stringValue)
        }
    }

    /// The options the reference renderer used: `strftime_now` sees 2024-07-26 14:05:09 UTC.
    static var fixedOptions: RenderOptions {
        var options = RenderOptions()
        options.now = { Date(timeIntervalSince1970: 1_722_002_709) }
        options.timeZone = TimeZone(identifier: "UTC") ?? .current
        return options
    }

    /// Which `TemplateError` case corresponds to a jinja2 exception class.
    static func errorKind(_ error: TemplateError) -> String {
        switch error {
        case .syntax: return "syntax"
        case .unknownFilter, .unknownTest: return "unknown"
        case .undefinedValue: return "undefined"
        case .typeMismatch: return "type"
        case .raised: return "raised"
        case .limitExceeded: return "limit"
        case .invalidJSON: return "json"
        }
    }

    static func expectedKind(_ pythonError: String) -> String {
        switch pythonError {
        case "TemplateSyntaxError": return "syntax"
        case "TemplateAssertionError": return "unknown"
        case "UndefinedError": return "undefined"
        case "TemplateError": return "raised"
        case "RecursionError": return "limit"
        default: return "type"  // TypeError, ZeroDivisionError, SecurityError
        }
    }
}
