@testable import Engine
import Foundation
import StructuredOutputs
import SwiftletJSON
import Testing

/// Deep work runs on a thread of its own with a 64 MiB stack, and its result or error comes back.
@Suite struct LargeStackTests {
    struct Failure: Error, Equatable {}

    @Test func runsOnALargeStackAndReturns() throws {
        let size = try LargeStack.run { Thread.current.stackSize }
        #expect(size >= LargeStack.stackSize)
        #expect(throws: Failure()) { try LargeStack.run { () throws -> Int in throw Failure() } }
    }

    /// A schema nested 400 deep (the depth the server's bad-input tests send) is handled on the
    /// large stack: compiled or refused with an error, never a crash.
    @Test func deepSchemaOnTheLargeStack() throws {
        var schema: JSONValue = ["type": "integer"]
        for _ in 0..<400 { schema = ["type": "array", "items": schema] }
        let params = StructuredOutputsParams(.json(schema))
        let outcome = try LargeStack.run { () -> String in
            do { return "compiled \(try StructuredOutputManager.grammar(params).rules.count > 0)" } catch { return "refused" }
        }
        #expect(outcome == "compiled true" || outcome == "refused")
    }
}
