import Engine
import Foundation
import SwiftletJSON

/// A request's `kv_transfer_params` (prefill/decode disaggregation behind vllm-router): read and
/// checked against this server's connector; on a decode instance, the prompt's KV pulled from the
/// prefill instance before the request is queued. No connector: the field is refused with a 400.
enum KVTransferRequest {
    static func read(from body: JSONObject, connector: TCPKVConnector?) throws -> KVTransferParams? {
        guard let value = body["kv_transfer_params"], !value.isNull else { return nil }
        guard let object = value.objectValue else {
            throw APIError.badRequest("kv_transfer_params must be an object", param: "kv_transfer_params")
        }
        guard let connector else {
            throw APIError.badRequest("`kv_transfer_params` asks for KV transfer, which needs --kv-transfer-config (kv_connector TCPConnector); leave the field out",
                                      param: "kv_transfer_params")
        }
        var params = KVTransferParams()
        params.doRemoteDecode = object["do_remote_decode"]?.boolValue ?? false
        params.doRemotePrefill = object["do_remote_prefill"]?.boolValue ?? false
        params.remoteEngineID = object["remote_engine_id"]?.stringValue
        params.remoteBlockIDs = object["remote_block_ids"]?.arrayValue?.compactMap(\.intValue)
        params.remoteHost = object["remote_host"]?.stringValue
        params.remotePort = object["remote_port"]?.intValue
        params.remoteRequestID = object["remote_request_id"]?.stringValue
        if params.doRemoteDecode && !connector.config.produces {
            throw APIError.badRequest("do_remote_decode asks this instance to prefill for another, but its kv_role is kv_consumer",
                                      param: "kv_transfer_params")
        }
        if params.doRemotePrefill && !connector.config.consumes {
            throw APIError.badRequest("do_remote_prefill asks this instance to pull KV, but its kv_role is kv_producer",
                                      param: "kv_transfer_params")
        }
        return params.doRemoteDecode || params.doRemotePrefill ? params : nil
    }

    /// The engine's part of the request: on a decode instance, with the KV pulled off the async
    /// threads (a failed pull is logged and the prompt is computed here instead).
    static func transfer(_ params: KVTransferParams?, prompt: [Int], requestID: String,
                         context: ServingContext) async -> AsyncEngine.Transfer? {
        guard let params else { return nil }
        guard params.doRemotePrefill, let connector = context.kvConnector else {
            return AsyncEngine.Transfer(params: params, externalKV: nil)
        }
        let result: Result<ExternalKV, any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { try connector.pull(params, promptTokenIDs: prompt) })
            }
        }
        switch result {
        case .success(let kv):
            context.logLine("KV transfer \(requestID): pulled the KV of \(kv.numTokens) prompt tokens from \(params.remoteHost ?? "?"):\(params.remotePort ?? 0)")
            return AsyncEngine.Transfer(params: params, externalKV: kv)
        case .failure(let error):
            context.logLine("KV transfer \(requestID): pull failed (\(error)); computing the prompt here")
            return AsyncEngine.Transfer(params: params, externalKV: nil)
        }
    }
}

/// The `kv_transfer_params` a prefill instance answers with: where the decode instance pulls the
/// prompt's KV (vLLM's fields).
struct KVTransferResponseParams: Encodable, Sendable {
    var doRemoteDecode = false
    var doRemotePrefill = true
    var remoteEngineID: String
    var remoteBlockIDs: [Int]
    var remoteHost: String
    var remotePort: Int
    var remoteRequestID: String
    var tpSize = 1

    enum CodingKeys: String, CodingKey {
        case doRemoteDecode = "do_remote_decode", doRemotePrefill = "do_remote_prefill", remoteEngineID = "remote_engine_id"
        case remoteBlockIDs = "remote_block_ids", remoteHost = "remote_host", remotePort = "remote_port"
        case remoteRequestID = "remote_request_id", tpSize = "tp_size"
    }

    init?(output: RequestOutput?, connector: TCPKVConnector?) {
        guard let output, let handle = output.kvTransferHandle, let connector else { return nil }
        remoteEngineID = connector.config.engineID
        remoteBlockIDs = handle.blockIDs
        remoteHost = connector.config.ip
        remotePort = connector.port
        remoteRequestID = output.requestID
    }
}
