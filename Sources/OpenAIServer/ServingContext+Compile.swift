import Dispatch
import Engine
import Foundation

extension ServingContext {
    /// Compiles the request's constraint off the server's cooperative threads, on a large-stack
    /// thread of its own (a deeply nested schema recurses deeply), so a long compile holds up no
    /// other request; past `--structured-outputs-config`'s `compile_timeout` the request
    /// fails with a 400 (the compile finishes in the background and its grammar is cached). The
    /// engine then finds the grammar compiled.
    func compileConstraint(_ params: SamplingParams) async throws {
        guard let constraint = params.structuredOutputs else { return }
        guard let structuredOutputs else { throw APIError.badRequest("this server has no structured outputs") }
        let timeout = options.structuredOutputs.compileTimeout
        let outcome: Result<Void, APIError> = await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            LargeStack.start {
                do {
                    _ = try structuredOutputs.compile(constraint)
                    once.resume(.success(()))
                } catch {
                    once.resume(.failure(APIError.badRequest("\(error)", param: "response_format")))
                }
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                once.resume(.failure(APIError.badRequest(
                    "the structured output constraint took more than \(timeout) s to compile (--structured-outputs-config compile_timeout)",
                    param: "response_format")))
            }
        }
        try outcome.get()
    }
}

/// Resumes a continuation with the first result only.
private final class ResumeOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<Void, APIError>, Never>?

    init(_ continuation: CheckedContinuation<Result<Void, APIError>, Never>) { self.continuation = continuation }

    func resume(_ result: Result<Void, APIError>) {
        let waiting = lock.withLock { () -> CheckedContinuation<Result<Void, APIError>, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: result)
    }
}
