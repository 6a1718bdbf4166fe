import ArgumentParser
import Foundation

/// Runs `body`; a thrown error becomes one line on stderr ("swiftlet: ...") and exit status 1,
/// instead of ArgumentParser's generic report.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("swiftlet: \(error)")
        throw ExitCode.failure
    }
}

/// The bytes of a file named on the command line, or a ValidationError naming it.
func readFileArgument(_ path: String) throws -> Data {
    guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
    return data
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes to stdout without stdio buffering, so streamed pieces and newlines stay in order.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
