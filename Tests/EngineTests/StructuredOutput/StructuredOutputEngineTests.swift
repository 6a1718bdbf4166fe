import Foundation
import SwiftletJSON
import Testing
@testable import Engine

/// Constrained generation on the real default model, through the LLM API.
extension LLMSingleRequestTests {
    @Test func choiceAndRegexConstrainTheOutput() throws {
        let tokenizer = try Self.shared.get().tokenizer
        let prompt = tokenizer.encode("The capital of France is")
        var choice = SamplingParams(temperature: 0, maxTokens: 10)
        choice.structuredOutputs = StructuredOutputsParams(.choice(["Lyon", "Paris", "Marseille"]))
        let picked = try Self.run(prompt, choice).output.outputs[0]
        #expect(picked.text == "Paris" && picked.finishReason == .stop)
        // Sampled, not greedy: still one of the choices, every time.
        var sampled = choice
        sampled.temperature = 1.5
        for seed in 0..<4 {
            sampled.seed = UInt64(seed)
            let text = try Self.run(prompt, sampled).output.outputs[0].text
            #expect(["Lyon", "Paris", "Marseille"].contains(text), "\(text)")
        }
        var regex = SamplingParams(temperature: 0.8, seed: 7, maxTokens: 20)
        regex.structuredOutputs = StructuredOutputsParams(.regex("[0-9]{3}-[0-9]{4}"))
        let number = try Self.run(tokenizer.encode("Call me at"), regex).output.outputs[0]
        #expect(number.text.wholeMatch(of: /[0-9]{3}-[0-9]{4}/) != nil && number.finishReason == .stop, "\(number.text)")
    }

    @Test func badConstraintsAreRefusedAtAdd() throws {
        var params = SamplingParams(temperature: 0, maxTokens: 4)
        params.structuredOutputs = StructuredOutputsParams(.regex("(a"))
        #expect { try Self.run([1, 2], params) } throws: { error in
            "\(error)".contains("regex") && error is GenerationError
        }
        params.structuredOutputs = StructuredOutputsParams(.grammar("root ::= \"a\" missing"))
        #expect { try Self.run([1, 2], params) } throws: { error in "\(error)".contains("missing") }
        // A valid grammar (EBNF) constrains the output.
        params.structuredOutputs = StructuredOutputsParams(.grammar("root ::= (\"ab\" | \"c\")+ \".\""))
        let text = try Self.run([1, 2], params).output.outputs[0].text
        #expect(text.wholeMatch(of: /(ab|c)+\./) != nil, "\(text)")
        let core = try Self.shared.get().core
        #expect(!core.hasUnfinishedRequests)
    }
}

/// Constrained greedy requests give the same tokens alone and amid 63 others (the kernels are
/// batch-invariant and each request keeps its own matcher): a regex and a JSON Schema request in
/// one batch with 62 unconstrained ones.
@Suite(.serialized) struct StructuredOutputBatchTests {
    @Test func aloneAndInABatchAgree() throws {
        let llm = try LLM(core: EngineCore.load(path: try EngineTestFiles.smolLM(), config: EngineConfig(
            maxModelLen: 128, maxNumSeqs: 64, maxNumBatchedTokens: 512, numThreads: 2)))
        llm.showProgress = false
        var regex = SamplingParams(temperature: 0, maxTokens: 12)
        regex.structuredOutputs = StructuredOutputsParams(.regex("(yes|no), because [a-z ]+"))
        var json = SamplingParams(temperature: 0, maxTokens: 16)
        json.structuredOutputs = StructuredOutputsParams(.json(["type": "object", "properties": ["n": ["type": "integer"]],
                                                                 "required": ["n"], "additionalProperties": false]))
        let question = "Is the sky blue? Answer:", count = "Count to three as JSON:"
        let aloneRegex = try llm.generate([question], regex)[0].outputs[0].tokenIDs
        let aloneJSON = try llm.generate([count], json)[0].outputs[0].tokenIDs
        let bases = ["Once upon a time", "def main():", "1, 2, 3,", "The weather today", "Hello", "In 1492,", "Dear Sir,"]
        let others = (0..<62).map { "\(bases[$0 % bases.count]) \($0)" }
        let free = SamplingParams(temperature: 0, maxTokens: 12, ignoreEOS: true)
        let tokenizer = try llm.tokenizer
        let outputs = try llm.generate(tokenIDs: ([question, count] + others).map { tokenizer.encode($0) },
                                       params: [regex, json] + Array(repeating: free, count: others.count))
        #expect(outputs.count == 64)
        #expect(outputs[0].outputs[0].tokenIDs == aloneRegex)
        #expect(outputs[1].outputs[0].tokenIDs == aloneJSON)
        #expect(outputs[0].outputs[0].text.wholeMatch(of: /(yes|no), because [a-z ]+/) != nil || outputs[0].outputs[0].finishReason == .length)
    }
}

extension LLMSingleRequestTests {
    /// A JSON Schema constraint on the real model: the reply parses and has what the schema requires.
    @Test func jsonSchemaConstrainsTheOutput() throws {
        let llm = try Self.shared.get()
        let schema = try JSONValue(parsing: #"{"type": "object", "properties": {"name": {"type": "string", "maxLength": 20}, "age": {"type": "integer", "minimum": 0, "maximum": 150}}, "required": ["name", "age"], "additionalProperties": false}"#)
        let prompt = try ModelFiles.open(try EngineTestFiles.smolLM()).chatTemplate()
            .render(messages: [ChatMessage(role: "user", content: "Describe a famous scientist as JSON with a name and an age.")],
                    tokenizer: llm.tokenizer, addGenerationPrompt: true)
        var params = SamplingParams(temperature: 0, maxTokens: 80)
        params.structuredOutputs = StructuredOutputsParams(.json(schema))
        let output = try Self.run(llm.tokenizer.encode(prompt, addSpecialTokens: false, parseSpecial: true), params).output.outputs[0]
        #expect(output.finishReason == .stop, "\(output.text)")
        let value = try JSONValue(parsing: output.text)
        #expect(value["name"]?.stringValue != nil && value["age"]?.intValue.map { (0...150).contains($0) } == true, "\(output.text)")
        #expect(value.objectValue?.keys == ["name", "age"])
        // Without whitespace between tokens.
        params.structuredOutputs = StructuredOutputsParams(.json(schema), disableAnyWhitespace: true)
        let compact = try Self.run(llm.tokenizer.encode(prompt, addSpecialTokens: false, parseSpecial: true), params).output.outputs[0].text
        #expect(!compact.contains(" \"") && !compact.contains("\n") && (try? JSONValue(parsing: compact)) != nil, "\(compact)")
    }
}
