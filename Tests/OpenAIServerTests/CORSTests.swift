import Foundation
import HTTPTypes
import HummingbirdTesting
import OpenAIServer
import Testing

extension ServerSuites {
    /// CORS through real HTTP: preflights, headers on simple requests, disallowed origins.
    @Suite struct CORSTests {
        let restricted = CORSPolicy(allowedOrigins: ["http://good.example"], allowedMethods: ["GET", "POST"],
                                    allowedHeaders: ["Authorization"], allowCredentials: true)

        func preflight(_ client: any TestClientProtocol, origin: String, method: String, headers: String?) async throws -> TestResponse {
            var fields: HTTPFields = [.origin: origin, .accessControlRequestMethod: method]
            if let headers { fields[.accessControlRequestHeaders] = headers }
            return try await client.execute(uri: "/v1/completions", method: .options, headers: fields)
        }

        @Test func restrictedPolicy() async throws {
            try await ServerFixture.withServer(cors: restricted) { client in
                let ok = try await preflight(client, origin: "http://good.example", method: "POST", headers: "Authorization, Content-Type")
                #expect(ok.status == .ok)
                #expect(String(buffer: ok.body) == "OK")
                #expect(ok.headers[.accessControlAllowOrigin] == "http://good.example")
                #expect(ok.headers[.accessControlAllowMethods] == "GET, POST")
                #expect(ok.headers[.accessControlAllowHeaders] == "accept, accept-language, authorization, content-language, content-type")
                #expect(ok.headers[.accessControlAllowCredentials] == "true")
                #expect(ok.headers[.accessControlMaxAge] == "600")
                #expect(ok.headers[.vary] == "Origin")

                let evil = try await preflight(client, origin: "http://evil.example", method: "POST", headers: nil)
                #expect(evil.status == .badRequest)
                #expect(String(buffer: evil.body) == "Disallowed CORS origin")
                #expect(evil.headers[.accessControlAllowOrigin] == nil)
                let method = try await preflight(client, origin: "http://good.example", method: "DELETE", headers: "X-Other")
                #expect(method.status == .badRequest)
                #expect(String(buffer: method.body) == "Disallowed CORS method, headers")

                let simple = try await client.execute(uri: "/v1/models", method: .get, headers: [.origin: "http://good.example"])
                #expect(simple.status == .ok)
                #expect(simple.headers[.accessControlAllowOrigin] == "http://good.example")
                #expect(simple.headers[.accessControlAllowCredentials] == "true")
                let other = try await client.execute(uri: "/v1/models", method: .get, headers: [.origin: "http://evil.example"])
                #expect(other.status == .ok)
                #expect(other.headers[.accessControlAllowOrigin] == nil)
                #expect(other.headers[.accessControlAllowCredentials] == nil)
            }
        }

        @Test func defaultPolicyAllowsEveryOrigin() async throws {
            try await ServerFixture.withServer { client in
                let ok = try await preflight(client, origin: "http://any.example", method: "PUT", headers: "X-Custom")
                #expect(ok.status == .ok)
                #expect(ok.headers[.accessControlAllowOrigin] == "*")
                #expect(ok.headers[.accessControlAllowMethods] == "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT")
                #expect(ok.headers[.accessControlAllowHeaders] == "X-Custom")
                #expect(ok.headers[.accessControlAllowCredentials] == nil)
                let response = try await ServerFixture.post(client, "/v1/completions", #"{"prompt":"The capital of France is","max_tokens":1,"temperature":0}"#,
                                                            headers: [.origin: "http://any.example"])
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                let noOrigin = try await client.execute(uri: "/health", method: .get)
                #expect(noOrigin.headers[.accessControlAllowOrigin] == nil)
                // OPTIONS without CORS request headers is no preflight: routed, 405.
                #expect(try await client.execute(uri: "/v1/completions", method: .options).status == .methodNotAllowed)
            }
        }
    }
}
