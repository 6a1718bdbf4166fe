import Engine
import Foundation
import Hummingbird

/// Server-sent events: `data: {...}\n\n` per chunk, then `data: [DONE]\n\n` (`done`; the Responses
/// API ends without it). When the client goes away (a write fails or the response task is
/// cancelled) every request behind the stream is aborted; an engine failure is `failureEvents`.
enum SSE {
    static func response(merger: OutputMerger, done: [UInt8]? = ResponseJSON.done,
                         chunks: @escaping @Sendable (OutputMerger.Event) -> [[UInt8]],
                         trailer: @escaping @Sendable ([RequestOutput]) -> [[UInt8]],
                         failureEvents: @escaping @Sendable (APIError) -> [[UInt8]] = { [ResponseJSON.event(ErrorResponse($0))] }) -> Response {
        let body = ResponseBody { writer in
            var finals: [Int: RequestOutput] = [:]
            var failure: (any Error)?
            do {
                try await withTaskCancellationHandler {
                    for await event in merger.events {
                        if case .output(let index, let output) = event { finals[index] = output }
                        if case .failed(_, let error) = event { failure = error; break }
                        for chunk in chunks(event) { try await writer.write(ByteBuffer(bytes: chunk)) }
                    }
                    if Task.isCancelled { throw CancellationError() }
                    if let failure {
                        merger.cancel()
                        for chunk in failureEvents(APIError.badRequest("\(failure)")) { try await writer.write(ByteBuffer(bytes: chunk)) }
                    } else {
                        let ordered = finals.keys.sorted().compactMap { finals[$0] }
                        for chunk in trailer(ordered) { try await writer.write(ByteBuffer(bytes: chunk)) }
                    }
                    if let done { try await writer.write(ByteBuffer(bytes: done)) }
                } onCancel: {
                    merger.cancel()
                }
            } catch {
                merger.cancel()
                throw error
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
