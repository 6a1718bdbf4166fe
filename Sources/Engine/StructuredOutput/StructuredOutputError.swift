/// Why a structured-output constraint cannot be used; the message names what is wrong.
public struct StructuredOutputError: Error, CustomStringConvertible, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
