import NIOSSL

/// HTTPS for the server, with vLLM's flags: `--ssl-keyfile` and `--ssl-certfile` (PEM), and for
/// client certificates `--ssl-ca-certs` (PEM bundle of trusted roots) with `--ssl-cert-reqs`
/// (Python's `ssl` values: 0 none, 1 optional, 2 required).
public struct ServerTLSOptions: Sendable, Equatable {
    public var keyFile: String
    public var certFile: String
    public var caCerts: String?
    public var certReqs: Int

    public struct OptionsError: Error, CustomStringConvertible {
        public let description: String
    }

    /// nil when neither file is given; throws when only one is, or the client-certificate flags
    /// make no sense.
    public init?(keyFile: String?, certFile: String?, caCerts: String?, certReqs: Int) throws {
        guard keyFile != nil || certFile != nil else {
            if caCerts != nil || certReqs != 0 {
                throw OptionsError(description: "--ssl-ca-certs and --ssl-cert-reqs need --ssl-keyfile and --ssl-certfile")
            }
            return nil
        }
        guard let keyFile, let certFile else {
            throw OptionsError(description: "HTTPS needs both --ssl-keyfile and --ssl-certfile")
        }
        guard (0...2).contains(certReqs) else {
            throw OptionsError(description: "--ssl-cert-reqs must be 0 (none), 1 (optional) or 2 (required), got \(certReqs)")
        }
        if certReqs > 0 && caCerts == nil {
            throw OptionsError(description: "--ssl-cert-reqs \(certReqs) verifies client certificates against --ssl-ca-certs, which is missing")
        }
        self.keyFile = keyFile
        self.certFile = certFile
        self.caCerts = caCerts
        self.certReqs = certReqs
    }

    /// The server's TLS configuration, reading the files now (a bad file is an error at startup).
    public func configuration() throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        do { chain = try NIOSSLCertificate.fromPEMFile(certFile) } catch {
            throw OptionsError(description: "--ssl-certfile \(certFile): \(error)")
        }
        guard !chain.isEmpty else { throw OptionsError(description: "--ssl-certfile \(certFile) holds no PEM certificate") }
        do { key = try NIOSSLPrivateKey(file: keyFile, format: .pem) } catch {
            throw OptionsError(description: "--ssl-keyfile \(keyFile): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        if let caCerts {
            do { _ = try NIOSSLCertificate.fromPEMFile(caCerts) } catch {
                throw OptionsError(description: "--ssl-ca-certs \(caCerts): \(error)")
            }
            configuration.trustRoots = .file(caCerts)
        }
        switch certReqs {
        case 2: configuration.certificateVerification = .noHostnameVerification
        case 1: configuration.certificateVerification = .optionalVerification
        default: configuration.certificateVerification = .none
        }
        return configuration
    }
}
