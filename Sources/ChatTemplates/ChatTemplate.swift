/// A parsed Hugging Face chat template (Jinja), rendered as transformers' `apply_chat_template` renders it:
/// jinja2 with `trim_blocks`, `lstrip_blocks`, loop controls, a `tojson` filter that keeps non-ASCII text,
/// and the `raise_exception` and `strftime_now` globals. Parse once, render many times; thread-safe.
public struct ChatTemplate: Sendable {
    /// The template text as given.
    public let source: String
    let nodes: [Node]

    /// Parses `source`; throws `TemplateError.syntax` (with line) for malformed templates and
    /// `.unknownFilter` / `.unknownTest` for names this interpreter does not implement.
    public init(source: String) throws {
        self.source = source
        var lexer = TemplateLexer(source: source)
        var parser = TemplateParser(tokens: try lexer.tokenize())
        nodes = try parser.parseTemplate()
    }

    /// Renders with an explicit set of template variables.
    public func render(context: [String: TemplateValue], options: RenderOptions = RenderOptions()) throws -> String {
        let scope = Scope(parent: nil)
        for (name, value) in context { scope.variables[name] = Value(value) }
        let renderer = Renderer(options: options)
        _ = try renderer.render(nodes, scope: scope)
        return renderer.output
    }

    /// Renders a chat the way transformers does: `messages`, `tools` (none when nil), `add_generation_prompt`,
    /// `bos_token`, `eos_token`, plus `extra` variables (e.g. `enable_thinking`, `date_string`).
    /// Messages are objects with `role` and `content` (a string or a list of parts), and optionally
    /// `tool_calls`, `tool_call_id`, `name`; use `TemplateValue(json:)` to build them from request JSON.
    public func render(messages: [TemplateValue], tools: [TemplateValue]? = nil, addGenerationPrompt: Bool,
                       bosToken: String = "", eosToken: String = "", extra: [String: TemplateValue] = [:],
                       options: RenderOptions = RenderOptions()) throws -> String {
        var context = extra
        context["messages"] = .array(messages)
        context["tools"] = tools.map { .array($0) } ?? .null
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        context["bos_token"] = .string(bosToken)
        context["eos_token"] = .string(eosToken)
        return try render(context: context, options: options)
    }
}
