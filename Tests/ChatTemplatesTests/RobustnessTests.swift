import Foundation
import Testing
@testable import ChatTemplates

/// Malformed templates must fail with a `TemplateError`, never trap.
struct RobustnessTests {
    private static let messages: [TemplateValue] = [
        ["role": "system", "content": "s"], ["role": "user", "content": "u"],
        ["role": "assistant", "content": "a", "tool_calls": [["id": "abcdefghi", "function": ["name": "f", "arguments": ["x": 1]]]]],
        ["role": "tool", "tool_call_id": "abcdefghi", "content": "r"], ["role": "user", "content": [["type": "text", "text": "t"]]],
    ]

    /// Renders `source`; returns "ok" or the error kind.
    private func outcome(_ source: String) -> String {
        do {
            let template = try ChatTemplate(source: source)
            _ = try template.render(messages: RobustnessTests.messages, tools: [["type": "function", "function": ["name": "f"]]],
                                    addGenerationPrompt: true, bosToken: "<s>", eosToken: "</s>")
            return "ok"
        } catch let error as TemplateError {
            return Fixtures.errorKind(error)
        } catch {
            return "other"
        }
    }

    @Test func everyPrefixOfARealTemplateFailsCleanly() throws {
        let source = try String(contentsOf: try Fixtures.url("templates/mistralai-Mistral-Nemo-Instruct-2407.jinja"), encoding: .utf8)
        let scalars = Array(source.unicodeScalars)
        var counts: [String: Int] = [:]
        for end in stride(from: 0, through: scalars.count, by: 3) {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[0..<end])
            counts[outcome(String(prefix)), default: 0] += 1
        }
        #expect(counts["other"] == nil)
        #expect(counts["syntax", default: 0] > 500)
    }

    @Test func byteDeletionsFailCleanly() throws {
        var generator = SplitMix64(seed: 42)
        let names = ["Qwen-Qwen3-8B", "meta-llama-Llama-3.2-3B-Instruct", "google-gemma-3-it"]
        var numCases = 0
        for name in names {
            let source = Array(try String(contentsOf: try Fixtures.url("templates/\(name).jinja"), encoding: .utf8).utf8)
            for _ in 0..<150 {
                var mutated = source
                for _ in 0..<3 {
                    let at = Int(generator.next() % UInt64(mutated.count))
                    if generator.next() % 2 == 0 {
                        mutated.remove(at: at)
                    } else {
                        let alphabet = Array("{}%#()[]'\"-|.,=".utf8)
                        mutated.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: at)
                    }
                }
                #expect(outcome(String(decoding: mutated, as: UTF8.self)) != "other")
                numCases += 1
            }
        }
        #expect(numCases == 450)
    }
}

/// A tiny deterministic random generator for the mutation tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
