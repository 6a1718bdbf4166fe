import Foundation
@testable import OpenAIServer
import Testing

/// Requests the HTTP parser cannot read get a 400 with an OpenAI error body and a closed connection
/// (the framework alone answers them with an empty 400).
extension ServerSuites {
@Suite struct MalformedRequestTests {
    @Test func unreadableRequestsGetAnErrorBody() async throws {
        let requests = [
            "POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "GET / HTTP/9.9\r\n\r\n",
            "\u{16}\u{03}\u{01}\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
        ]
        try await ServerFixture.withServer { client in
            let port = try #require(client.port)
            for request in requests {
                let response = await RawHTTP.exchange(port: port, bytes: Array(request.utf8))
                #expect(response.hasPrefix("HTTP/1.1 400 Bad Request\r\n"), "\(request.debugDescription): \(response.prefix(200))")
                #expect(response.lowercased().contains("content-type: application/json"), "\(request.debugDescription)")
                let body = RawHTTP.body(of: response)
                let error = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["error"] as? [String: Any]
                #expect((error?["message"] as? String)?.hasPrefix("malformed HTTP request") == true, "\(request.debugDescription): \(body)")
                #expect(error?["code"] as? Int == 400)
            }
            // The server still answers well-formed requests.
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }
}
}
