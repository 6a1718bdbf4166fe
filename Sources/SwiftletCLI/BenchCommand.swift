import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks; each prints its figures and, with --output-json, writes them as JSON.",
        subcommands: [BenchLatencyCommand.self, BenchThroughputCommand.self, BenchTokenizeCommand.self, BenchMemoryCommand.self,
                      BenchServeCommand.self, BenchMachineCommand.self, BenchStreamChunksCommand.self,
                      BenchStructuredCommand.self, BenchPerplexityCommand.self])
}
