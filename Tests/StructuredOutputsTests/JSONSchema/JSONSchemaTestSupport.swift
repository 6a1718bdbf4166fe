import SwiftletJSON
import Testing
@testable import StructuredOutputs

/// A stand-in for the regex-syntax parser: patterns that are plain text, optionally anchored with
/// `^` and `$`; anything with another metacharacter throws.
struct LiteralPatternError: Error, CustomStringConvertible {
    var pattern: String
    var description: String { "only literal patterns are understood here: \(pattern)" }
}

enum SchemaTesting {
    static let literalPatterns: JSONSchemaOptions.PatternTranslator = { pattern, use in
        var body = Substring(pattern)
        let anchoredStart = body.hasPrefix("^")
        if anchoredStart { body = body.dropFirst() }
        let anchoredEnd = body.hasSuffix("$")
        if anchoredEnd { body = body.dropLast() }
        guard !body.contains(where: { "\\^$.|?*+()[]{}".contains($0) }) else { throw LiteralPatternError(pattern: pattern) }
        if use == .wholeText {
            guard !anchoredStart && !anchoredEnd else { throw LiteralPatternError(pattern: pattern) }
            return .literal(String(body))
        }
        let any = RegexNode.zeroOrMore(.anyScalar)
        return .concat((anchoredStart ? [] : [any]) + [.literal(String(body))] + (anchoredEnd ? [] : [any]))
    }

    static func options(_ change: (inout JSONSchemaOptions) -> Void = { _ in }) -> JSONSchemaOptions {
        var options = JSONSchemaOptions(patternToRegex: literalPatterns)
        change(&options)
        return options
    }

    static func schema(_ text: String) -> JSONValue {
        do { return try JSONValue(parsing: text) } catch { Issue.record("bad schema text: \(error)"); return .null }
    }

    static func grammar(_ schemaText: String, _ options: JSONSchemaOptions = options()) throws -> Grammar {
        try JSONSchemaCompiler.compile(schema(schemaText), options: options)
    }

    /// The compile error, or nil when it compiled.
    static func error(_ schemaText: String, _ options: JSONSchemaOptions = options()) -> JSONSchemaError? {
        do {
            _ = try JSONSchemaCompiler.compile(schema(schemaText), options: options)
            return nil
        } catch {
            return error
        }
    }
}

/// Checks that the grammar of `schema` accepts every text of `accepts` and none of `rejects`,
/// with the slow reference recognizer.
func expectLanguage(
    _ schema: String, accepts: [String] = [], rejects: [String] = [],
    options: JSONSchemaOptions = SchemaTesting.options(), sourceLocation: SourceLocation = #_sourceLocation
) {
    let grammar: Grammar
    do {
        grammar = try SchemaTesting.grammar(schema, options)
    } catch {
        Issue.record("\(schema) did not compile: \(error)", sourceLocation: sourceLocation)
        return
    }
    let recognizer = ReferenceRecognizer(grammar)
    for text in accepts {
        let accepted = recognizer.accepts(text)
        #expect(accepted, "\(schema) should accept \(text)", sourceLocation: sourceLocation)
    }
    for text in rejects {
        let accepted = recognizer.accepts(text)
        #expect(!accepted, "\(schema) should reject \(text)", sourceLocation: sourceLocation)
    }
}
