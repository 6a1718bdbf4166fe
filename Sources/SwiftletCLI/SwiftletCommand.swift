import ArgumentParser

@main
struct SwiftletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftlet",
        abstract: "An LLM inference and serving engine for the CPU.",
        subcommands: [ServeCommand.self, RunBatchCommand.self, GenerateCommand.self, ChatCommand.self, InspectCommand.self, TokenizeCommand.self, TemplateCommand.self, ExportHFCommand.self, BenchCommand.self]
    )
}
