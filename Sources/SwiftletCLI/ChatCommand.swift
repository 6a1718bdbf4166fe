import ArgumentParser
import Foundation
import Swiftlet

struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat in the terminal: each turn goes through the model's chat template; replies stream.")

    @OptionGroup var load: ModelLoadOptions
    @OptionGroup var sampling: SamplingOptions

    @Option(name: .long, help: "A system message.")
    var system: String?

    @Option(name: .long, help: "A Jinja file to use instead of the model's own chat template.")
    var chatTemplate: String?

    func run() throws {
        try reportingErrors {
            let params = try sampling.params()
            let llm = try load.makeLLM()
            let template = try ModelFiles.open(load.model).chatTemplate(overridePath: chatTemplate)
            var messages: [ChatMessage] = system.map { [ChatMessage(role: "system", content: $0)] } ?? []
            let interactive = isatty(STDIN_FILENO) != 0
            if interactive { printError("type a message; an empty line or end of input quits") }
            while true {
                if interactive { writeOut("> ") }
                guard let line = readLine(strippingNewline: true), !line.isEmpty else { break }
                messages.append(ChatMessage(role: "user", content: line))
                let prompt = try template.render(messages: messages, tokenizer: (try llm.tokenizer), addGenerationPrompt: true)
                let ids = (try llm.tokenizer).encode(prompt, addSpecialTokens: false, parseSpecial: true)
                // Each turn's prompt starts with the previous turn's: the prefix cache serves it.
                let output = try llm.generate(tokenIDs: ids, params: params) { output in
                    writeOut(output.outputs[0].deltaText)
                    return true
                }
                writeOut("\n")
                messages.append(ChatMessage(role: "assistant", content: output.outputs[0].text))
            }
        }
    }
}
