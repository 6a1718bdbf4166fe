import Foundation
import Testing
@testable import ChatTemplates

/// The public rendering API as the server uses it.
struct ChatTemplateTests {
    static let chatML = """
        {% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endfor %}\
        {% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}
        """

    @Test func rendersMessagesFromRequestJSON() throws {
        let request = try TemplateValue(json: #"{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi 👋"}]}"#)
        guard case .array(let messages)? = request["messages"] else { Issue.record("messages"); return }
        let template = try ChatTemplate(source: ChatTemplateTests.chatML)
        #expect(try template.render(messages: messages, addGenerationPrompt: true)
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi 👋<|im_end|>\n<|im_start|>assistant\n")
        #expect(try template.render(messages: messages, addGenerationPrompt: false)
            == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi 👋<|im_end|>\n")
    }

    @Test func standardVariablesAndExtras() throws {
        let template = try ChatTemplate(source: "{{ bos_token }}|{{ tools is none }}|{{ tools|length if tools else 0 }}|{{ enable_thinking }}|{{ eos_token }}")
        #expect(try template.render(messages: [], addGenerationPrompt: false, bosToken: "<s>", eosToken: "</s>")
            == "<s>|True|0||</s>")
        #expect(try template.render(messages: [], tools: [["type": "function"]], addGenerationPrompt: false,
                                    extra: ["enable_thinking": false]) == "|False|1|False|")
    }

    @Test func strftimeNowUsesTheInjectedClock() throws {
        var options = RenderOptions()
        options.now = { Date(timeIntervalSince1970: 0) }
        options.timeZone = TimeZone(identifier: "UTC") ?? .current
        let template = try ChatTemplate(source: "{{ strftime_now('%d %b %Y %H:%M %A %j') }}")
        #expect(try template.render(context: [:], options: options) == "01 Jan 1970 00:00 Thursday 001")
    }

    @Test func templateIsReusableAcrossConcurrentRenders() async throws {
        let template = try ChatTemplate(source: ChatTemplateTests.chatML)
        let outputs = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask { try template.render(messages: [["role": "user", "content": .string("n\(i)")]], addGenerationPrompt: false) }
            }
            var all: [String] = []
            for try await output in group { all.append(output) }
            return all.sorted()
        }
        #expect(outputs == (0..<8).map { "<|im_start|>user\nn\($0)<|im_end|>\n" }.sorted())
    }

    /// A typical 10-message chat through the Qwen2.5 template; prints the time per render.
    /// The bound is loose so debug builds pass; release builds render in well under 1 ms.
    @Test func renderingIsFast() throws {
        let url = try Fixtures.url("templates/Qwen-Qwen2.5-7B-Instruct.jinja")
        let template = try ChatTemplate(source: try String(contentsOf: url, encoding: .utf8))
        var messages: [TemplateValue] = [["role": "system", "content": "You are helpful."]]
        for i in 0..<9 {
            messages.append(["role": i % 2 == 0 ? "user" : "assistant", "content": .string("Message number \(i) with some text.")])
        }
        let first = try template.render(messages: messages, addGenerationPrompt: true)
        #expect(first.hasSuffix("<|im_start|>assistant\n"))
        let numRenders = 200
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<numRenders { _ = try template.render(messages: messages, addGenerationPrompt: true) }
        let perRender = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(numRenders) / 1e6
        print("ChatTemplate: 10-message Qwen2.5 render takes \(perRender) ms")
        #expect(perRender < 20)
    }
}
