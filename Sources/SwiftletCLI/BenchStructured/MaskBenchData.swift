import Foundation
import Swiftlet
import SwiftletJSON

/// The MaskBench data of JSONSchemaBench (../shared/data/jsonschemabench-maskbench.jsonl.gz): one
/// schema a line with valid and invalid instances.
struct MaskBenchData {
    struct Case {
        var name: String
        var schema: JSONValue
        /// (valid, instance) pairs.
        var tests: [(valid: Bool, data: JSONValue)]
    }

    var cases: [Case]

    /// The options every schema is compiled with (ECMAScript patterns, as JSON Schema writes them).
    static let options = JSONSchemaOptions(patternToRegex: JSONSchemaOptions.regexSyntax)

    /// Reads the gzipped JSON lines through `gzip -dc` (Foundation has no gzip reader).
    init(path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw MaskBenchError("gzip -dc \(path) failed") }
        var cases: [Case] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let value = try JSONValue(parsing: line)
            guard let name = value["name"]?.stringValue, let schema = value["schema"], let tests = value["tests"]?.arrayValue else {
                throw MaskBenchError("a line of \(path) lacks name, schema or tests")
            }
            cases.append(Case(name: name, schema: schema, tests: tests.compactMap { test in
                guard let valid = test["valid"]?.boolValue, let data = test["data"] else { return nil }
                return (valid, data)
            }))
        }
        self.cases = cases
    }
}

struct MaskBenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension MaskBenchData.Case {
    /// Each instance's text as MaskBench feeds it: Python's `json.dumps`, with each object's members
    /// in the order the compiled grammar writes them (JSON objects are unordered; MaskBench's data
    /// was put in llguidance's order the same way, but only for the schemas llguidance compiles).
    var instanceTexts: [(valid: Bool, text: String)] {
        tests.map { test in
            let ordered = (try? JSONSchemaInstanceOrder.reordered(test.data, schema: schema, options: MaskBenchData.options)) ?? test.data
            return (test.valid, PythonJSONText.text(of: ordered))
        }
    }
}
