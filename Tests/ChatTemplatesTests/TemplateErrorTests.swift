import Foundation
import Testing
@testable import ChatTemplates

/// Each error kind, with the template line it names.
struct TemplateErrorTests {
    private func renderError(_ source: String, _ context: [String: TemplateValue] = [:],
                             options: RenderOptions = RenderOptions()) -> TemplateError? {
        do {
            _ = try ChatTemplate(source: source).render(context: context, options: options)
            return nil
        } catch let error as TemplateError {
            return error
        } catch {
            return nil
        }
    }

    @Test func syntaxErrorsCarryTheirLine() {
        #expect(renderError("a\nb\n{% if true %}x") == .syntax(message: "unexpected end of template; looking for 'elif' or 'else' or 'endif'", line: 3))
        #expect(renderError("line1\n{% frobnicate %}") == .syntax(message: "encountered unknown tag 'frobnicate'", line: 2))
        #expect(renderError("\n\n{{ 1 + }}") == .syntax(message: "unexpected end of print statement", line: 3))
        #expect(renderError("x\n{{ 1 ") == .syntax(message: "unexpected end of template, expected 'end of print statement'", line: 2))
        #expect(renderError("x\n\n{# never") == .syntax(message: "missing end of comment tag", line: 3))
        #expect(renderError("{% endfor %}") == .syntax(message: "encountered unknown tag 'endfor'", line: 1))
        #expect(renderError("\n{{ (1 + 2 }}") == .syntax(message: "unexpected '}', expected ')'", line: 2))
        #expect(renderError("{{ 'abc }}") == .syntax(message: "unterminated string literal", line: 1))
    }

    @Test func unknownFilterAndTestAreReportedAtParseTime() {
        #expect(renderError("ok\n{% if false %}{{ 1|nosuch }}{% endif %}") == .unknownFilter(name: "nosuch", line: 2))
        #expect(renderError("\n\n{{ 1 is nosuchtest }}") == .unknownTest(name: "nosuchtest", line: 3))
    }

    @Test func raiseExceptionCarriesMessageAndLine() {
        let source = "{% for m in messages %}\n{% if m.role == 'bad' %}\n{{ raise_exception('Role ' ~ m.role ~ ' is not supported') }}\n{% endif %}\n{% endfor %}"
        let error = renderError(source, ["messages": [["role": "bad"]]])
        #expect(error == .raised(message: "Role bad is not supported", line: 3))
        #expect(error?.description == "Role bad is not supported")
    }

    @Test func undefinedAccessErrors() {
        #expect(renderError("\n{{ u.x }}") == .undefinedValue(message: "'u' is undefined", line: 2))
        #expect(renderError("{{ m.a.b }}", ["m": [:]]) == .undefinedValue(message: "'dict object' has no attribute 'a'", line: 1))
        #expect(renderError("{{ f() }}") == .undefinedValue(message: "'f' is undefined", line: 1))
    }

    @Test func typeErrors() {
        #expect(renderError("\n\n{{ 1 + 'a' }}") == .typeMismatch(message: "unsupported operand type(s) for +: 'int' and 'str'", line: 3))
        #expect(renderError("{{ 'a' + 1 }}") == .typeMismatch(message: "can only concatenate str (not \"int\") to str", line: 1))
        #expect(renderError("{% for x in n %}{% endfor %}", ["n": nil]) == .typeMismatch(message: "'NoneType' object is not iterable", line: 1))
        #expect(renderError("{{ 1 / 0 }}") == .typeMismatch(message: "division by zero", line: 1))
        #expect(renderError("{{ 1 < 'a' }}") == .typeMismatch(message: "'<' not supported between instances of 'int' and 'str'", line: 1))
        #expect(renderError("{{ u|tojson }}") == .typeMismatch(message: "Object of type Undefined is not JSON serializable", line: 1))
        #expect(renderError("{% set xs = [] %}\n{{ xs.append(1) }}") == .typeMismatch(message: "access to attribute 'append' of 'list' object is unsafe", line: 2))
    }

    @Test func runawayMacroRecursionIsStopped() {
        let error = renderError("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}")
        #expect(error == .limitExceeded(message: "macro calls nested deeper than 64 (runaway recursion in 'f'?)", line: 1))
    }

    @Test func outputAndWorkLimits() {
        var options = RenderOptions()
        options.maxOutputBytes = 1000
        #expect(renderError("{% for i in range(100) %}0123456789-{% endfor %}", options: options)
            == .limitExceeded(message: "rendered output exceeds 1000 bytes", line: 1))
        options = RenderOptions()
        options.maxIterations = 500
        #expect(renderError("{% for i in range(30) %}{% for j in range(30) %}{% endfor %}{% endfor %}", options: options)
            == .limitExceeded(message: "template exceeded 500 loop iterations and macro calls", line: 1))
        #expect(renderError("{{ range(100000000)|length }}")
            == .limitExceeded(message: "range() of 100000000 items exceeds the limit of 1000000", line: 1))
        #expect(renderError("{{ 'ab' * 100000000 }}") == .limitExceeded(message: "string repetition too large", line: 1))
        #expect(renderError("{{ 2 ** 64 }}") == .limitExceeded(message: "integer overflow", line: 1))
        #expect(renderError("{{ 9223372036854775807 + 1 }}") == .limitExceeded(message: "integer overflow", line: 1))
    }

    @Test func deepNestingIsRejectedNotCrashing() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        #expect(renderError("{{ " + deep + " }}") == .limitExceeded(message: "template nested deeper than 200 levels", line: 1))
        let blocks = String(repeating: "{% if true %}", count: 500)
        #expect(renderError(blocks) == .limitExceeded(message: "template nested deeper than 200 levels", line: 1))
    }

    @Test func errorDescriptionsNameTheLine() {
        #expect(TemplateError.syntax(message: "encountered unknown tag 'x'", line: 7).description
            == "chat template syntax error at line 7: encountered unknown tag 'x'")
        #expect(TemplateError.typeMismatch(message: "division by zero", line: 2).description == "chat template line 2: division by zero")
        #expect(TemplateError.invalidJSON(message: "unterminated string", offset: 5).line == nil)
    }
}

extension TemplateErrorTests {
    @Test func unboundedNestingThroughNamespaceIsRefused() {
        let source = "{% set ns = namespace(x=[]) %}\n{% for i in range(100000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x|length }}"
        #expect(renderError(source) == .limitExceeded(message: "value nested deeper than 512 levels", line: 2))
    }

    @Test func hugeSliceStepsDoNotOverflow() throws {
        let template = try ChatTemplate(source: "{{ [1, 2, 3][::9223372036854775807] }}{{ [1, 2, 3][::-9223372036854775807] }}{{ range(0, 10, 9223372036854775807)|list }}")
        #expect(try template.render(context: [:]) == "[1][3][0]")
    }
}

extension TemplateErrorTests {
    @Test func longOperatorAndFilterChainsAreBounded() {
        let limit = TemplateError.limitExceeded(message: "template nested deeper than 200 levels", line: 1)
        #expect(renderError("{{ 1" + String(repeating: " + 1", count: 50000) + " }}") == limit)
        #expect(renderError("{{ x" + String(repeating: " or x", count: 50000) + " }}") == limit)
        #expect(renderError("{{ 'a'" + String(repeating: "|trim", count: 50000) + " }}") == limit)
        #expect(renderError("{{ d" + String(repeating: ".a", count: 50000) + " }}") == limit)
        #expect(renderError("{{ " + String(repeating: "not ", count: 50000) + "x }}") == limit)
        #expect(renderError("{{ " + String(repeating: "-", count: 50000) + "1 }}") == limit)
        // Real templates stay far below the limit.
        #expect(renderError("{{ 1" + String(repeating: " + 1", count: 100) + " }}") == nil)
    }
}
