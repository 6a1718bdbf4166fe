import SwiftletTokenizers
import Testing
@testable import Engine

/// An engine core over the fake executor with a 1000-token vocabulary: id t >= 100 reads as three
/// letters from "abcdefghij" (hundreds, tens, ones: 123 is "bcd"), except multiples of 50, which
/// are control tokens "<t>"; ids below 100 (prompts) read as "#t". Id 2 is "<eos>".
enum FakeFrontend {
    static let letters = Array("abcdefghij")

    static func text(_ id: Int) -> String {
        if id == 2 { return "<eos>" }
        if id < 100 { return "#\(id)" }
        if id % 50 == 0 { return "<\(id)>" }
        return String([letters[id / 100], letters[id / 10 % 10], letters[id % 10]])
    }

    /// The tiny tokenizer; `eosTokenID` is the tokenizer's EOS (the core's EOS set is separate).
    static func tokenizer(eosTokenID: Int = 2) throws -> Tokenizer {
        let tokens = (0..<1000).map(text)
        let types: [Int32] = (0..<1000).map { $0 == 2 || ($0 >= 100 && $0 % 50 == 0) ? 3 : 1 }
        return try Tokenizer(vocabulary: TokenizerVocabulary(model: .gpt2, tokens: tokens, tokenTypes: types,
                                                             eosTokenID: eosTokenID))
    }

    static func core(numBlocks: Int = 64, maxModelLen: Int = 64, eos: Set<Int> = []) throws -> EngineCore {
        let engine = FakeEngine(numBlocks: numBlocks, maxModelLen: maxModelLen, eos: eos)
        engine.core.tokenizer = try tokenizer(eosTokenID: eos.first ?? 2)
        return engine.core
    }

    /// An offline LLM over a fake core.
    static func llm(_ core: EngineCore) throws -> LLM {
        let llm = try LLM(core: core)
        llm.showProgress = false
        return llm
    }

    /// The text of the fake model's first `count` tokens for `prompt` (special tokens skipped).
    static func referenceText(prompt: [Int], count: Int) -> String {
        FakeExecutor.reference(prompt: prompt, count: count).map { $0 % 50 == 0 ? "" : text($0) }.joined()
    }

    /// Runs one request through an output processor step by step; returns every output.
    static func stream(_ core: EngineCore, prompt: [Int], params: SamplingParams) throws -> [RequestOutput] {
        let processor = OutputProcessor(tokenizer: try #require(core.tokenizer))
        for child in processor.add(requestID: "r", prompt: prompt, params: params, priority: 0, cacheSalt: nil) {
            try core.addRequest(requestID: child.id, promptTokenIDs: prompt, params: child.params)
        }
        var outputs: [RequestOutput] = []
        while core.hasUnfinishedRequests {
            let step = processor.process(try core.step())
            try processor.apply(step, to: core)
            outputs += step.outputs
        }
        return outputs
    }
}
