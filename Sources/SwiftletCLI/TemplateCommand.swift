import ArgumentParser
import Swiftlet

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Render the model's chat template for a conversation and print the prompt text.")

    @Option(name: .long, help: "A .gguf file or a Hugging Face model directory (default: the model `make serve` fetches).")
    var model: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "A system message.")
    var system: String?

    @Option(name: .long, help: "The user message.")
    var user: String

    @Option(name: .long, help: "A Jinja file to use instead of the model's own template.")
    var chatTemplate: String?

    @Flag(name: .long, inversion: .prefixedNo, help: "End with the assistant's turn header.")
    var addGenerationPrompt = true

    @Flag(name: .long, help: "Also print the token ids of the rendered prompt.")
    var ids = false

    func run() throws {
        try reportingErrors {
            let files = try ModelFiles.open(model)
            let tokenizer = try files.loadTokenizer()
            let template = try files.chatTemplate(overridePath: chatTemplate)
            var messages: [ChatMessage] = []
            if let system { messages.append(ChatMessage(role: "system", content: system)) }
            messages.append(ChatMessage(role: "user", content: user))
            let prompt = try template.render(messages: messages, tokenizer: tokenizer, addGenerationPrompt: addGenerationPrompt)
            print(prompt, terminator: prompt.hasSuffix("\n") ? "" : "\n")
            if ids {
                print(tokenizer.encode(prompt, addSpecialTokens: false, parseSpecial: true).map(String.init).joined(separator: ","))
            }
        }
    }
}
