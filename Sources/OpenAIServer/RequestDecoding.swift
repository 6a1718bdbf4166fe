import Foundation
import Hummingbird
import SwiftletJSON

/// Request decoding (snake_case keys, unknown fields ignored, fields the server cannot carry out
/// refused) and ids.
enum RequestDecoding {
    static func decode<T: Decodable>(_ type: T.Type, from body: Data, endpoint: UnhonouredFields.Endpoint? = nil) throws -> T {
        try decodeWithObject(type, from: body, endpoint: endpoint).request
    }

    /// The decoded request and the body as a JSON object (for fields read as JSON values, such as schemas).
    static func decodeWithObject<T: Decodable>(_ type: T.Type, from body: Data,
                                               endpoint: UnhonouredFields.Endpoint? = nil) throws -> (request: T, object: JSONObject) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        // The shared reader names the line and column of a syntax error, which JSONDecoder does not.
        let value: JSONValue
        do { value = try JSONValue(parsing: body) } catch {
            throw APIError.badRequest("the request body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else { throw APIError.badRequest("the request body must be a JSON object") }
        if let endpoint { try UnhonouredFields.check(object, endpoint: endpoint) }
        do {
            return (try decoder.decode(type, from: body), object)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // The body parsed above, so this is Foundation refusing a number for its field's type.
            throw numberMismatch(object)
        } catch let error as DecodingError {
            throw APIError.decoding(error)
        }
    }

    /// A 400 for a number its field's type cannot hold, naming the top-level numbers that may be it.
    static func numberMismatch(_ object: JSONObject) -> APIError {
        // An integer beyond 64 bits fits no field; a fraction only misfits an integer field.
        let numbers = object.compactMap { member in member.value.numberValue.map { (key: member.key, number: $0) } }
        let tooLarge = numbers.filter { $0.number.isInteger && $0.number.int == nil }
        let suspects = tooLarge.isEmpty ? numbers.filter { !$0.number.isInteger } : tooLarge
        guard let first = suspects.first else {
            return .badRequest("a number in the request body does not fit its field (an integer field got a fraction, or a value beyond 64 bits)")
        }
        let listed = suspects.map { "\($0.key)=\($0.number.text)" }.joined(separator: ", ")
        return .badRequest("a number does not fit its field: an integer field got a fraction, or a value beyond 64 bits (\(listed))",
                           param: suspects.count == 1 ? first.key : nil)
    }

    /// 32 random hex digits.
    static func randomID() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}

/// JSON responses.
enum JSONResponse {
    static func make(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func error(_ error: APIError) -> Response {
        make(error.body, status: HTTPResponse.Status(code: error.status))
    }
}
