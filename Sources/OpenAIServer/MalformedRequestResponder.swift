import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers a request the HTTP parser cannot read (a garbage request line, a bad chunk size, a
/// header past the limits) with a 400 and an OpenAI error body, then closes the connection;
/// without it the server framework answers such requests with an empty 400. Sits in each
/// connection's pipeline after the HTTP codec, where a parse error arrives only once earlier
/// responses ended (NIO's pipelining handler holds it back until then). Where a response is
/// already being written the connection is only closed: a second response head would corrupt the
/// first. The error still travels on, so a request whose body it cut reads a failure, not an end;
/// whatever the application writes after this answer is dropped.
final class MalformedRequestResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Between a response's head and its end.
    private var responding = false
    /// Set once this handler answered: later writes are dropped.
    private var answered = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !answered else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        switch unwrapOutboundIn(data) {
        case .head: responding = true
        case .end: responding = false
        case .body: break
        }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError, !answered else {
            context.fireErrorCaught(error)
            return
        }
        guard !responding else {
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        let body = APIError(status: 400, message: "malformed HTTP request: \(error)").body
        let head = HTTPResponse(status: .badRequest, headerFields: [
            .contentType: "application/json", .contentLength: String(body.count), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        answered = true
        context.fireErrorCaught(error)
    }
}
