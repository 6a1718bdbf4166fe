import Foundation
import StructuredOutputs
import SwiftletJSON
import SwiftletTokenizers

/// Compiles structured-output constraints to grammars for one model's vocabulary and keeps the
/// compiled ones by constraint (vLLM's `StructuredOutputManager`): requests with the same schema
/// share one compiled grammar. Callers off the engine thread (the server's handlers) compile
/// first, so a bad constraint is refused before the request reaches the engine and the engine
/// thread finds the grammar compiled.
public final class StructuredOutputManager: @unchecked Sendable {
    public let vocabulary: TokenVocabulary
    /// Most compiled grammars kept; the cache starts over when it is full.
    public var maxCachedGrammars: Int {
        get { lock.withLock { cacheLimit } }
        set { lock.withLock { cacheLimit = max(1, newValue) } }
    }
    private var cacheLimit: Int
    private let lock = NSLock()
    private var cache: [StructuredOutputsParams: CompiledGrammar] = [:]

    public init(vocabulary: TokenVocabulary, maxCachedGrammars: Int = 256) {
        self.vocabulary = vocabulary
        cacheLimit = max(1, maxCachedGrammars)
    }

    /// The vocabulary of `tokenizer`: each token's bytes, special tokens excluded.
    public convenience init(tokenizer: Tokenizer, eosTokenIDs: Set<Int>) {
        let bytes = (0..<tokenizer.vocabSize).map { tokenizer.tokenBytes($0) }
        self.init(vocabulary: TokenVocabulary(tokenBytes: bytes, eosTokenIDs: eosTokenIDs.sorted()))
    }

    /// The compiled grammar of `params`, from the cache or compiled now.
    public func compile(_ params: StructuredOutputsParams) throws -> CompiledGrammar {
        lock.lock()
        if let cached = cache[params] {
            lock.unlock()
            return cached
        }
        lock.unlock()
        let compiled: CompiledGrammar
        do {
            compiled = try CompiledGrammar(try Self.grammar(params))
        } catch let error as StructuredOutputError {
            throw error
        } catch {
            throw StructuredOutputError("the structured output constraint cannot be compiled: \(error)")
        }
        lock.lock()
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[params] = compiled
        lock.unlock()
        return compiled
    }

    /// A matcher for one request.
    public func matcher(for params: StructuredOutputsParams) throws -> GrammarMatcher {
        GrammarMatcher(grammar: try compile(params), vocabulary: vocabulary)
    }

    /// The request's whitespace and additional-properties options for JSON Schema.
    static func jsonOptions(_ params: StructuredOutputsParams) -> JSONSchemaOptions {
        JSONSchemaOptions(anyWhitespace: !params.disableAnyWhitespace, whitespacePattern: params.whitespacePattern,
                          additionalPropertiesDefault: !params.disableAdditionalProperties,
                          patternToRegex: JSONSchemaOptions.regexSyntax)
    }

    /// JSON valid against `schema`, with the request's whitespace and additional-properties options.
    static func jsonGrammar(_ schema: JSONValue, _ params: StructuredOutputsParams) throws -> Grammar {
        do { return try JSONSchemaCompiler.compile(schema, options: jsonOptions(params)) } catch {
            throw StructuredOutputError("the JSON schema is not supported: \(error)")
        }
    }

    /// The grammar a constraint lowers to.
    static func grammar(_ params: StructuredOutputsParams) throws -> Grammar {
        switch params.constraint {
        case .choice(let choices):
            guard !choices.isEmpty else { throw StructuredOutputError("`choice` must list at least one string") }
            return Grammar.choice(choices)
        case .regex(let pattern):
            do { return Grammar.regex(try RegexSyntax.parse(pattern, flavor: .python)) } catch {
                throw StructuredOutputError("the regex is not supported: \(error)")
            }
        case .json(let schema):
            return try jsonGrammar(schema, params)
        case .jsonObject:
            return try jsonGrammar(["type": "object"], params)
        case .grammar(let text):
            do { return try Grammar.ebnfOrLark(text) } catch {
                throw StructuredOutputError("the grammar is not valid: \(error)")
            }
        case .structuralTag(let tag):
            do { return try StructuralTagCompiler.compile(tag, options: jsonOptions(params)) } catch {
                throw StructuredOutputError("the structural tag is not supported: \(error)")
            }
        }
    }
}
