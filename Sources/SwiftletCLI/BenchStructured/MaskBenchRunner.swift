import Foundation
import Swiftlet

/// Runs MaskBench's protocol on our matcher: compile each schema, then feed each instance's text,
/// tokenized with the model's tokenizer, token by token, computing the mask before every token.
/// A valid instance must have every token allowed and end where the grammar may end; an invalid
/// one must be refused somewhere.
struct MaskBenchRunner {
    struct Figures: Encodable {
        var schemas = 0
        var compiled = 0
        var validInstances = 0
        var validAccepted = 0
        var invalidInstances = 0
        var invalidRejected = 0
        var tokens = 0
        /// Masks that allowed exactly one token (end-of-sequence counted): the tokens a
        /// jump-forward decoder would append without sampling.
        var forcedTokens = 0
        var compileMs: [Double] = []
        var maskUs: [Double] = []
        /// Why schemas did not compile: the error's first words, counted.
        var compileErrors: [String: Int] = [:]
        /// Valid instances refused, by schema name (the first few).
        var refusedValid: [String] = []
    }

    let tokenizer: Tokenizer
    let vocabulary: TokenVocabulary

    func run(_ cases: [MaskBenchData.Case], progress: (Int) -> Void) -> Figures {
        var figures = Figures()
        var mask: [UInt32] = []
        for (index, item) in cases.enumerated() {
            progress(index)
            figures.schemas += 1
            let start = ContinuousClock.now
            let compiled: CompiledGrammar
            do {
                let grammar = try JSONSchemaCompiler.compile(item.schema, options: MaskBenchData.options)
                compiled = try CompiledGrammar(grammar)
            } catch {
                let reason = "\(error)".split(separator: " ").prefix(4).joined(separator: " ")
                figures.compileErrors[reason, default: 0] += 1
                continue
            }
            figures.compileMs.append(1000 * (ContinuousClock.now - start).secondsValue)
            figures.compiled += 1
            for test in item.instanceTexts {
                let ids = tokenizer.encode(test.text, addSpecialTokens: false)
                let matcher = GrammarMatcher(grammar: compiled, vocabulary: vocabulary)
                var accepted = true
                for id in ids {
                    let maskStart = ContinuousClock.now
                    matcher.fillBitmask(&mask)
                    figures.maskUs.append(1e6 * (ContinuousClock.now - maskStart).secondsValue)
                    figures.tokens += 1
                    if Self.allowsOneToken(mask) { figures.forcedTokens += 1 }
                    let allowed = mask[id >> 5] & (1 << UInt32(id & 31)) != 0
                    guard allowed, matcher.acceptToken(id) else {
                        accepted = false
                        break
                    }
                }
                if accepted && !matcher.canEnd { accepted = false }
                if test.valid {
                    figures.validInstances += 1
                    if accepted { figures.validAccepted += 1 } else if figures.refusedValid.count < 20 { figures.refusedValid.append(item.name) }
                } else {
                    figures.invalidInstances += 1
                    if !accepted { figures.invalidRejected += 1 }
                }
            }
        }
        return figures
    }

    /// Whether exactly one bit of `mask` is set.
    static func allowsOneToken(_ mask: [UInt32]) -> Bool {
        var count = 0
        for word in mask where word != 0 {
            count += word.nonzeroBitCount
            if count > 1 { return false }
        }
        return count == 1
    }
}
