import ArgumentParser
import Foundation
import Swiftlet
import SwiftletJSON

/// `swiftlet bench serve`: load-tests any OpenAI-compatible server over HTTP, like `vllm bench serve`.
struct BenchServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Online serving benchmark against a running OpenAI-compatible server (like `vllm bench serve`).",
        discussion: """
            Prompts are random token runs built as text with --tokenizer, so every server gets the same \
            prompts: --shared-prefix-len tokens common to all, then --input-len tokens per request. \
            Requests stream with max_tokens=--output-len and ignore_eos.
            """)

    @Option(name: .long, help: "The server, e.g. http://127.0.0.1:8000.")
    var baseURL = "http://127.0.0.1:8000"

    @Option(name: .long, help: "The endpoint: /v1/completions or /v1/chat/completions.")
    var endpoint = "/v1/completions"

    @Option(name: .long, help: "The \"model\" field (default: the first id of GET /v1/models).")
    var model: String?

    @Option(name: .long, help: "A .gguf file or Hugging Face directory whose tokenizer counts prompt tokens.")
    var tokenizer: String = ModelLoadOptions.defaultModel

    @Option(name: .long, help: "Number of requests.")
    var numPrompts = 100

    @Option(name: .long, help: "Requests in flight at most (default: no limit).")
    var maxConcurrency: Int?

    @Option(name: .long, help: "Prompt tokens per request after the shared prefix.")
    var inputLen = 1024

    @Option(name: .long, help: "Generated tokens per request (max_tokens, EOS ignored).")
    var outputLen = 128

    @Option(name: .long, help: "Tokens every prompt starts with (vLLM's --random-prefix-len).")
    var sharedPrefixLen = 0

    @Option(name: .long, help: "Seed for the prompts and the arrival times.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Mean requests per second, Poisson arrivals (inf: all at once).")
    var requestRate = "inf"

    @Option(name: .long, help: "Sampling temperature sent with each request.")
    var temperature = 0.0

    @Option(name: .long, help: "Seconds a connect or a single read may block before the request fails.")
    var timeout = 600

    @Option(name: .long, help: "A JSON Schema file: every request asks for JSON valid against it (response_format json_schema).")
    var jsonSchema: String?

    @Option(name: .long, help: "Write the figures and per-request data as JSON to this file.")
    var outputJson: String?

    func run() throws {
        try reportingErrors {
            guard numPrompts >= 1, inputLen >= 1, outputLen >= 1, sharedPrefixLen >= 0, timeout >= 1 else {
                throw ValidationError("--num-prompts, --input-len, --output-len and --timeout must be at least 1")
            }
            if let maxConcurrency, maxConcurrency < 1 { throw ValidationError("--max-concurrency must be at least 1") }
            let rate: Double = requestRate == "inf" ? .infinity : Double(requestRate) ?? -1
            guard rate > 0 else { throw ValidationError("--request-rate must be a positive number or inf") }
            let client = BenchServeHTTPClient(url: try BenchServeURL(parsing: baseURL), timeoutSeconds: timeout)
            let servedModel = try model ?? Self.firstModelID(client: client)

            let dataset = try BenchServeDataset(tokenizer: ModelFiles.open(tokenizer).loadTokenizer())
            let prompts = try dataset.prompts(numPrompts: numPrompts, inputLen: inputLen,
                                              sharedPrefixLen: sharedPrefixLen, seed: seed)
            let schema = try jsonSchema.map { path in
                let data = try readFileArgument(path)
                do { return try JSONValue(parsing: data) } catch { throw ValidationError("\(path) is not JSON: \(error)") }
            }
            let sender = BenchServeRequestSender(client: client, endpoint: endpoint, model: servedModel,
                                                 outputLen: outputLen, temperature: temperature, jsonSchema: schema)
            printError("bench serve: \(numPrompts) requests to \(baseURL)\(endpoint), model \(servedModel), "
                       + "\(sharedPrefixLen)+\(inputLen) prompt tokens, \(outputLen) output tokens, "
                       + "concurrency \(maxConcurrency.map(String.init) ?? "unlimited"), rate \(requestRate)"
                       + (jsonSchema.map { ", JSON Schema \($0)" } ?? ""))
            let generator = BenchServeLoadGenerator(sender: sender, maxConcurrency: maxConcurrency,
                                                    requestRate: rate, seed: seed)
            let (results, duration) = generator.run(prompts)
            let settings = BenchServeSettings(
                date: ISO8601DateFormatter().string(from: Date()), baseUrl: baseURL, endpoint: endpoint, modelId: servedModel,
                tokenizerId: tokenizer, numPrompts: numPrompts, inputLen: inputLen, outputLen: outputLen,
                sharedPrefixLen: sharedPrefixLen, seed: seed, temperature: temperature)
            let report = BenchServeReport(metrics: BenchServeMetrics(results: results, duration: duration),
                                          results: results, settings: settings,
                                          maxConcurrency: maxConcurrency, requestRate: rate)
            if let firstError = report.firstError { printError("bench serve: first error: \(firstError)") }
            print(report.text)
            try writeBenchFigures(report, to: outputJson)
        }
    }

    /// The first model id the server lists at GET /v1/models.
    static func firstModelID(client: BenchServeHTTPClient) throws -> String {
        let body: [UInt8]
        do {
            body = try client.fetch(method: "GET", path: "/v1/models")
        } catch {
            throw ValidationError("cannot list models at \(client.url.host):\(client.url.port)/v1/models (\(error)); pass --model")
        }
        guard let id = (try? JSONValue(parsing: body))?["data"]?[0]?["id"]?.stringValue else {
            throw ValidationError("GET /v1/models returned no model id; pass --model")
        }
        return id
    }
}
