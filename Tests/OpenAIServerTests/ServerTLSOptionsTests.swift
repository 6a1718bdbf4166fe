import OpenAIServer
import Testing

/// The --ssl-* flag combinations serve accepts and refuses (the handshakes themselves are in
/// tests/python/test_tls.py).
@Suite struct ServerTLSOptionsTests {
    @Test func combinations() throws {
        #expect(try ServerTLSOptions(keyFile: nil, certFile: nil, caCerts: nil, certReqs: 0) == nil)
        let options = try #require(try ServerTLSOptions(keyFile: "k.pem", certFile: "c.pem", caCerts: "ca.pem", certReqs: 2))
        #expect(options.certReqs == 2)
        for (key, cert, ca, reqs, needle) in [
            ("k.pem", nil, nil, 0, "both --ssl-keyfile and --ssl-certfile"),
            (nil, "c.pem", nil, 0, "both --ssl-keyfile and --ssl-certfile"),
            (nil, nil, "ca.pem", 0, "need --ssl-keyfile"),
            ("k.pem", "c.pem", nil, 2, "--ssl-ca-certs, which is missing"),
            ("k.pem", "c.pem", "ca.pem", 3, "must be 0 (none), 1 (optional) or 2 (required)"),
        ] as [(String?, String?, String?, Int, String)] {
            #expect {
                _ = try ServerTLSOptions(keyFile: key, certFile: cert, caCerts: ca, certReqs: reqs)
            } throws: { error in
                "\(error)".contains(needle)
            }
        }
    }

    @Test func unreadableFilesNameTheFlag() throws {
        let options = try #require(try ServerTLSOptions(keyFile: "/nonexistent/k.pem", certFile: "/nonexistent/c.pem", caCerts: nil, certReqs: 0))
        #expect {
            _ = try options.configuration()
        } throws: { error in
            "\(error)".contains("--ssl-certfile /nonexistent/c.pem")
        }
    }
}
