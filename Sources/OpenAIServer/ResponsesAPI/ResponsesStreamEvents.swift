import Engine
import SwiftletJSON

/// The server-sent events of one streamed response, as OpenAI names them: `response.created` and
/// `response.in_progress`; per output item `response.output_item.added`, `response.content_part.added`,
/// the text deltas (`response.reasoning_text.delta`, `response.output_text.delta`), their `.done`
/// events, `response.content_part.done` and `response.output_item.done`; then `response.completed`. Each is `event: TYPE` and `data: {...}` with a `sequence_number`.
/// Used from the one task that writes the stream.
final class ResponsesStreamEvents: @unchecked Sendable {
    private let skeleton: ResponseObject
    private let ids: ResponsesHandler.ItemIDs
    /// Splits reasoning from the answer (`--reasoning-parser`); nil: all text is answer.
    private let streams: ChatChoiceStreams?
    private var sequence = 0
    private var outputIndex = -1
    /// The item being streamed and its text so far.
    private var open: (kind: Kind, text: String)?
    /// Ids of the items streamed so far.
    private var streamed: Set<String> = []

    private enum Kind { case reasoning, message }

    init(skeleton: ResponseObject, ids: ResponsesHandler.ItemIDs, streams: ChatChoiceStreams?) {
        self.skeleton = skeleton
        self.ids = ids
        self.streams = streams
    }

    private func event(_ type: String, _ fill: (inout ResponseStreamEvent) -> Void = { _ in }) -> [UInt8] {
        var value = ResponseStreamEvent(type: type, sequenceNumber: sequence)
        sequence += 1
        fill(&value)
        return ResponseJSON.namedEvent(type, value)
    }

    /// `response.created` and `response.in_progress`.
    func opening() -> [[UInt8]] {
        [event("response.created") { $0.response = skeleton }, event("response.in_progress") { $0.response = skeleton }]
    }

    /// The events for the answer's new text.
    func events(for output: RequestOutput) -> [[UInt8]] {
        guard let completion = output.outputs.first else { return [] }
        var reasoning: String?, content: String?
        if let streams {
            let parts = streams.delta(choice: 0, text: completion.deltaText, finished: completion.isFinished)
            (reasoning, content) = (parts.reasoning, parts.content)
        } else {
            content = completion.deltaText
        }
        var events: [[UInt8]] = []
        if let reasoning, !reasoning.isEmpty { events += delta(reasoning, kind: .reasoning) }
        if let content, !content.isEmpty { events += delta(content, kind: .message) }
        return events
    }

    private func itemID(_ kind: Kind) -> String { kind == .reasoning ? ids.reasoning : ids.message }

    private func part(_ kind: Kind, text: String) -> ResponseStreamPart {
        kind == .reasoning ? .reasoning(ResponseReasoningText(text: text)) : .text(ResponseOutputText(text: text))
    }

    private func item(_ kind: Kind, text: String, status: String) -> ResponseOutputItem {
        switch kind {
        case .reasoning:
            return .reasoning(ResponseReasoningItem(id: ids.reasoning, content: text.isEmpty ? [] : [ResponseReasoningText(text: text)],
                                                    status: status))
        case .message:
            return .message(ResponseOutputMessage(id: ids.message, status: status,
                                                  content: text.isEmpty ? [] : [ResponseOutputText(text: text)]))
        }
    }

    private func delta(_ text: String, kind: Kind) -> [[UInt8]] {
        var events: [[UInt8]] = []
        if open?.kind != kind {
            events += closeOpen()
            outputIndex += 1
            open = (kind, "")
            streamed.insert(itemID(kind))
            let index = outputIndex, id = itemID(kind)
            events.append(event("response.output_item.added") { $0.outputIndex = index; $0.item = self.item(kind, text: "", status: "in_progress") })
            events.append(event("response.content_part.added") {
                $0.itemId = id; $0.outputIndex = index; $0.contentIndex = 0; $0.part = self.part(kind, text: "")
            })
        }
        open?.text += text
        let index = outputIndex, id = itemID(kind)
        events.append(event(kind == .reasoning ? "response.reasoning_text.delta" : "response.output_text.delta") {
            $0.itemId = id; $0.outputIndex = index; $0.contentIndex = 0; $0.delta = text
            if kind == .message { $0.logprobs = [] }
        })
        return events
    }

    /// The `.done` events of the item being streamed; `messageStatus`: the finished message's
    /// (`incomplete` when max_output_tokens cut it).
    private func closeOpen(messageStatus: String = "completed") -> [[UInt8]] {
        guard let (kind, text) = open else { return [] }
        open = nil
        let index = outputIndex, id = itemID(kind)
        return [
            event(kind == .reasoning ? "response.reasoning_text.done" : "response.output_text.done") {
                $0.itemId = id; $0.outputIndex = index; $0.contentIndex = 0; $0.text = text
                if kind == .message { $0.logprobs = [] }
            },
            event("response.content_part.done") { $0.itemId = id; $0.outputIndex = index; $0.contentIndex = 0; $0.part = self.part(kind, text: text) },
            event("response.output_item.done") {
                $0.outputIndex = index; $0.item = self.item(kind, text: text, status: kind == .message ? messageStatus : "completed")
            },
        ]
    }

    /// The last events: the open item's `.done` events, items the stream did not carry (an empty
    /// answer), then `response.completed` with the whole response.
    func closing(_ final: ResponseObject) -> [[UInt8]] {
        var events = closeOpen(messageStatus: final.status)
        for item in final.output where !streamed.contains(item.id) {
            outputIndex += 1
            let index = outputIndex
            events.append(event("response.output_item.added") { $0.outputIndex = index; $0.item = item })
            events.append(event("response.output_item.done") { $0.outputIndex = index; $0.item = item })
        }
        // vLLM ends every stream with response.completed, its response's status saying whether it is
        // incomplete (the openai client's stream helper waits for that event).
        events.append(event("response.completed") { $0.response = final })
        return events
    }

    /// An `error` event for a request the engine failed.
    func error(_ error: APIError) -> [[UInt8]] {
        [event("error") { $0.code = String(error.status); $0.message = error.message; $0.param = .some(Nullable(error.param)) }]
    }
}

/// One streamed event; the fields an event type does not have stay out.
struct ResponseStreamEvent: Encodable {
    var type: String
    var sequenceNumber: Int
    var response: ResponseObject?
    var outputIndex: Int?
    var itemId: String?
    var contentIndex: Int?
    var item: ResponseOutputItem?
    var part: ResponseStreamPart?
    var delta: String?
    var text: String?
    var logprobs: [Never]?
    var code: String?
    var message: String?
    var param: Nullable<String>?

    enum CodingKeys: String, CodingKey {
        case type, sequenceNumber = "sequence_number", response, outputIndex = "output_index", itemId = "item_id"
        case contentIndex = "content_index", item, part, delta, text, logprobs, code, message, param
    }
}

/// A content part in `content_part` events.
enum ResponseStreamPart: Encodable {
    case text(ResponseOutputText)
    case reasoning(ResponseReasoningText)

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let part): try part.encode(to: encoder)
        case .reasoning(let part): try part.encode(to: encoder)
        }
    }
}

extension ResponseOutputItem {
    /// The item's id.
    var id: String {
        switch self {
        case .reasoning(let item): return item.id
        case .message(let item): return item.id
        case .functionCall(let item): return item.id
        }
    }
}
