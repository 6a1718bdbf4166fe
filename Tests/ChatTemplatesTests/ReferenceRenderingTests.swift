import Foundation
import Testing
@testable import ChatTemplates

/// Byte-for-byte comparison with Python jinja2 (configured as transformers configures it) on the
/// committed reference cases; see scripts/fixtures/jinja_render_fixtures.py.
struct ReferenceRenderingTests {
    private func check(_ c: ReferenceCase, render: (ChatTemplate) throws -> String) {
        do {
            let template = try ChatTemplate(source: c.source)
            let output = try render(template)
            #expect(c.expected == output, "\(c.name): output differs from jinja2 (jinja2 error: \(c.errorMessage ?? "none"))")
        } catch let error as TemplateError {
            guard let errorType = c.errorType else {
                Issue.record("\(c.name): unexpected error \(error)")
                return
            }
            #expect(Fixtures.errorKind(error) == Fixtures.expectedKind(errorType),
                    "\(c.name): jinja2 raised \(errorType): \(c.errorMessage ?? ""), we raised \(error)")
            if case .raised(let message, _) = error {
                #expect(message == c.errorMessage, "\(c.name): raise_exception message")
            }
        } catch {
            Issue.record("\(c.name): non-template error \(error)")
        }
    }

    @Test func modelTemplatesMatchJinja2() throws {
        let cases = try Fixtures.cases("template_cases.json")
        #expect(cases.count == 234)
        for c in cases {
            check(c) { template in
                guard case .array(let messages)? = c.context["messages"] else { throw TemplateError.invalidJSON(message: "messages", offset: 0) }
                var tools: [TemplateValue]?
                if case .array(let t)? = c.context["tools"] { tools = t }
                var extra: [String: TemplateValue] = [:]
                let standard: Set<String> = ["messages", "tools", "add_generation_prompt", "bos_token", "eos_token"]
                for (key, value) in c.context.entries where !standard.contains(key) { extra[key] = value }
                return try template.render(messages: messages, tools: tools,
                                           addGenerationPrompt: c.context["add_generation_prompt"] == .bool(true),
                                           bosToken: c.context["bos_token"]?.stringValue ?? "",
                                           eosToken: c.context["eos_token"]?.stringValue ?? "", extra: extra,
                                           options: Fixtures.fixedOptions)
            }
        }
    }

    @Test func featureTemplatesMatchJinja2() throws {
        let cases = try Fixtures.cases("feature_cases.json")
        #expect(cases.count == 137)
        for c in cases {
            check(c) { template in
                var context: [String: TemplateValue] = [:]
                for (key, value) in c.context.entries { context[key] = value }
                return try template.render(context: context, options: Fixtures.fixedOptions)
            }
        }
    }
}
