import Foundation
import SwiftletJSON
import Testing
@testable import StructuredOutputs

/// The shared MaskBench data (`../shared/data/jsonschemabench-maskbench.jsonl.gz`, or the file
/// `SWIFTLET_MASKBENCH` names): a sample of its schemas compiled, their instances (written as
/// `PythonJSONText` does) run through the reference recognizer. `SWIFTLET_MASKBENCH_STRIDE=1` runs
/// every schema (slow); the default takes every 50th.
struct MaskBenchSample {
    struct Row {
        var name: String
        var schema: JSONValue
        var tests: [(valid: Bool, data: JSONValue)]
    }

    static var path: String {
        if let path = ProcessInfo.processInfo.environment["SWIFTLET_MASKBENCH"] { return path }
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repository.deletingLastPathComponent().appendingPathComponent("shared/data/jsonschemabench-maskbench.jsonl.gz").path
    }

    static var available: Bool { FileManager.default.fileExists(atPath: path) }

    static func rows(stride: Int) throws -> [Row] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var rows: [Row] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where index % stride == 0 {
            let value = try JSONValue(parsing: line)
            let tests = (value["tests"]?.arrayValue ?? []).map { ($0["valid"]?.boolValue ?? false, $0["data"] ?? .null) }
            rows.append(Row(name: value["name"]?.stringValue ?? "", schema: value["schema"] ?? .null, tests: tests))
        }
        return rows
    }

    struct Counts: CustomStringConvertible {
        var schemas = 0, compiled = 0, valid = 0, validAccepted = 0, invalid = 0, invalidRejected = 0
        var errors: [String: Int] = [:]
        var failures: [String] = []
        var description: String {
            "compiled \(compiled)/\(schemas); valid accepted \(validAccepted)/\(valid); invalid rejected \(invalidRejected)/\(invalid); errors \(errors.sorted { $0.value > $1.value }.prefix(12))"
        }
    }

    static func run(_ rows: [Row], options: JSONSchemaOptions) -> Counts {
        var counts = Counts()
        let verbose = ProcessInfo.processInfo.environment["SWIFTLET_MASKBENCH_VERBOSE"] != nil
        for row in rows {
            counts.schemas += 1
            let clock = ContinuousClock()
            let began = clock.now
            defer { if verbose { print("  \(row.name): \(clock.now - began)") } }
            let grammar: Grammar
            do {
                grammar = try JSONSchemaCompiler.compile(row.schema, options: options)
                if verbose { print("  \(row.name) compiled in \(clock.now - began), \(grammar.rules.count) rules") }
            } catch {
                let kind: String
                switch error {
                case .unsupported(let keyword, _): kind = "unsupported " + keyword
                case .invalidPattern: kind = "pattern"
                default:
                    kind = String(describing: error).prefix(60).description
                    counts.failures.append("error: \(row.name): \(error)")
                }
                counts.errors[kind, default: 0] += 1
                if verbose { print("  failed \(row.name): \(kind)") }
                continue
            }
            counts.compiled += 1
            let recognizer = ReferenceRecognizer(grammar)
            for test in row.tests {
                let ordered = (try? JSONSchemaInstanceOrder.reordered(test.data, schema: row.schema, options: options)) ?? test.data
                let accepted = recognizer.accepts(PythonJSONText.text(of: ordered))
                if test.valid {
                    counts.valid += 1
                    if accepted {
                        counts.validAccepted += 1
                    } else {
                        let text = PythonJSONText.text(of: ordered)
                        let stop = recognizer.lastBoundary(text)
                        let scalars = Array(text.unicodeScalars)
                        let before = String(String.UnicodeScalarView(scalars[max(0, stop - 60)..<stop]))
                        let after = String(String.UnicodeScalarView(scalars[stop..<min(scalars.count, stop + 40)]))
                        counts.failures.append("valid rejected: \(row.name) at \(stop): …\(before) ⟦\(after)…")
                    }
                } else {
                    counts.invalid += 1
                    if !accepted { counts.invalidRejected += 1 } else { counts.failures.append("invalid accepted: \(row.name)") }
                }
            }
        }
        return counts
    }

    static var stride: Int { Int(ProcessInfo.processInfo.environment["SWIFTLET_MASKBENCH_STRIDE"] ?? "") ?? 50 }
}

@Suite(.enabled(if: MaskBenchSample.available), .serialized) struct JSONSchemaMaskBenchSampleTests {
    /// Thresholds measured on every 50th schema: 120 schemas; with literal patterns only 87
    /// compile, with 107 valid instances (all accepted) and 111 invalid ones (110 rejected; the
    /// other matches two options of a oneOf, read as anyOf).
    @Test func everyFiftiethSchemaWithLiteralPatterns() throws {
        let rows = try MaskBenchSample.rows(stride: MaskBenchSample.stride)
        let counts = MaskBenchSample.run(rows, options: SchemaTesting.options())
        print("MaskBench sample, literal patterns only: \(counts)")
        for failure in counts.failures.prefix(400) { print("  \(failure)") }
        guard MaskBenchSample.stride == 50 else { return }
        #expect(counts.schemas == 120)
        #expect(counts.compiled >= 87)
        #expect(counts.validAccepted == counts.valid && counts.valid >= 107)
        #expect(counts.invalidRejected >= 110)
    }

    /// With the test pattern parser: 113 compile; 136 valid instances, all accepted; 173 of 174
    /// invalid ones rejected.
    @Test func everyFiftiethSchemaWithTheTestPatternParser() throws {
        let rows = try MaskBenchSample.rows(stride: MaskBenchSample.stride)
        let counts = MaskBenchSample.run(rows, options: JSONSchemaOptions(patternToRegex: TestPatternParser.translator))
        print("MaskBench sample, test pattern parser: \(counts)")
        for failure in counts.failures.prefix(400) { print("  \(failure)") }
        guard MaskBenchSample.stride == 50 else { return }
        #expect(counts.compiled >= 113)
        #expect(counts.validAccepted == counts.valid && counts.valid >= 136)
        #expect(counts.invalidRejected >= 173)
    }
}
