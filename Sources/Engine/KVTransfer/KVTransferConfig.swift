import Foundation
import SwiftletJSON

/// `--kv-transfer-config`, vLLM's `KVTransferConfig` JSON for prefill/decode disaggregation:
/// which connector moves KV between engines and this engine's role. The one connector here is
/// `TCPConnector`: a producer serves the KV blocks of finished prefills on `kv_ip:kv_port`, a
/// consumer pulls them before it decodes.
public struct KVTransferConfig: Sendable, Equatable {
    public enum Role: String, Sendable { case producer = "kv_producer", consumer = "kv_consumer", both = "kv_both" }

    public static let connectorName = "TCPConnector"

    public var role: Role
    /// The address producers listen on and name in their responses (`remote_host`).
    public var ip = "127.0.0.1"
    /// The producer's listening port (`remote_port`).
    public var port = 14579
    /// This engine's id in `remote_engine_id` (a random one when absent).
    public var engineID: String
    /// Seconds a producer keeps a finished prefill's blocks for a consumer to pull.
    public var holdSeconds = 120.0

    public var produces: Bool { role != .consumer }
    public var consumes: Bool { role != .producer }

    public struct ConfigError: Error, CustomStringConvertible {
        public let description: String
    }

    static let fields: Set<String> = ["kv_connector", "kv_role", "kv_ip", "kv_port", "engine_id", "kv_connector_extra_config"]

    public init(json: String) throws {
        guard let object = (try? JSONValue(parsing: Data(json.utf8)))?.objectValue else {
            throw ConfigError(description: "--kv-transfer-config must be a JSON object, got '\(json)'")
        }
        if let unknown = object.map(\.key).first(where: { !Self.fields.contains($0) }) {
            throw ConfigError(description: "--kv-transfer-config: unknown field '\(unknown)'; known: \(Self.fields.sorted().joined(separator: ", "))")
        }
        guard let connector = object["kv_connector"]?.stringValue else {
            throw ConfigError(description: "--kv-transfer-config: kv_connector is required (\(Self.connectorName))")
        }
        guard connector == Self.connectorName else {
            throw ConfigError(description: "--kv-transfer-config: kv_connector '\(connector)' is not available; this engine has \(Self.connectorName) (KV over TCP)")
        }
        guard let roleName = object["kv_role"]?.stringValue, let role = Role(rawValue: roleName) else {
            throw ConfigError(description: "--kv-transfer-config: kv_role must be kv_producer, kv_consumer or kv_both")
        }
        self.role = role
        if let value = object["kv_ip"], !value.isNull {
            guard let ip = value.stringValue, !ip.isEmpty else { throw ConfigError(description: "--kv-transfer-config: kv_ip must be a string") }
            self.ip = ip
        }
        if let value = object["kv_port"], !value.isNull {
            guard let port = value.intValue, (1...65535).contains(port) else {
                throw ConfigError(description: "--kv-transfer-config: kv_port must be a port number")
            }
            self.port = port
        }
        engineID = object["engine_id"]?.stringValue ?? UUID().uuidString.lowercased()
        if let extra = object["kv_connector_extra_config"]?.objectValue, let hold = extra["hold_seconds"]?.numberValue?.double {
            guard hold > 0, hold.isFinite else { throw ConfigError(description: "--kv-transfer-config: hold_seconds must be positive") }
            holdSeconds = hold
        }
    }
}

/// A request's `kv_transfer_params` (vLLM's fields as the router sends them).
public struct KVTransferParams: Sendable, Equatable {
    /// Prefill here, keep the KV for a decode instance to pull (the router's prefill request).
    public var doRemoteDecode = false
    /// The prompt's KV was computed elsewhere: pull it from `remoteHost:remotePort` first.
    public var doRemotePrefill = false
    public var remoteEngineID: String?
    public var remoteBlockIDs: [Int]?
    public var remoteHost: String?
    public var remotePort: Int?
    public var remoteRequestID: String?
    /// Prompt tokens the remote KV covers.
    public var remoteNumTokens: Int?

    public init() {}
}

/// KV computed elsewhere for a request's first `numTokens` tokens: `bytes` of whole blocks as
/// `KVCacheStorage.copyBlocks` lays them out.
public struct ExternalKV: Sendable, Equatable {
    public var numTokens: Int
    public var bytes: [UInt8]

    public init(numTokens: Int, bytes: [UInt8]) {
        self.numTokens = numTokens
        self.bytes = bytes
    }
}

/// What a producer hands back for a prefill it keeps: the blocks holding the prompt's KV.
public struct KVTransferHandle: Sendable, Equatable {
    public var blockIDs: [Int]
    public var numTokens: Int
}
