import Foundation

/// A validated `srt://` address with its mode, latency and encryption.
public struct SRTAddress: Sendable, Hashable {
    /// Who opens the connection.
    public enum Mode: String, Sendable {
        /// We wait for callers.
        case listener
        /// We call the far end.
        case caller
        /// Both ends call each other.
        case rendezvous
    }

    /// Host to call, or the local address to bind (empty: all addresses).
    public var host: String
    /// UDP port.
    public var port: Int
    /// Mode.
    public var mode: Mode
    /// Latency in milliseconds.
    public var latencyMs: Int
    /// Passphrase (10–79 characters) for AES encryption; `nil` for an unencrypted LAN hop.
    public var passphrase: String?
    /// SRT stream id, used by listeners to tell callers apart.
    public var streamId: String?

    /// An address built by Cascade itself (relay listeners, call legs, the URLs given to halls).
    public init(host: String, port: Int, mode: Mode, latencyMs: Int, passphrase: String?, streamId: String? = nil) {
        self.host = host
        self.port = port
        self.mode = mode
        self.latencyMs = latencyMs
        self.passphrase = passphrase
        self.streamId = streamId
    }

    /// Parses `srt://host:port?mode=listener&latency=500&passphrase=…&streamid=…`.
    public init(parsing text: String) throws(MediaError) {
        guard let components = URLComponents(string: text), components.scheme?.lowercased() == "srt" else {
            throw MediaError(.invalidPipeline, "\(text) is not an srt:// URL")
        }
        guard let port = components.port, (1...65535).contains(port) else {
            throw MediaError(.invalidPipeline, "\(text) has no port between 1 and 65535")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name.lowercased()] = item.value ?? "" }
        let modeName = query["mode"] ?? ((components.host ?? "").isEmpty ? "listener" : "caller")
        guard let mode = Mode(rawValue: modeName) else {
            throw MediaError(.invalidPipeline, "mode \(modeName) in \(text) is not listener, caller or rendezvous")
        }
        let latency = query["latency"].map { Int($0) } ?? 500
        guard let latency, (20...8000).contains(latency) else {
            throw MediaError(.invalidPipeline, "latency in \(text) must be 20–8000 ms")
        }
        if let passphrase = query["passphrase"], !(10...79).contains(passphrase.count) {
            throw MediaError(.invalidPipeline, "the SRT passphrase must be 10–79 characters")
        }
        host = components.host ?? ""
        if mode != .listener && host.isEmpty { throw MediaError(.invalidPipeline, "\(text) needs a host to call") }
        self.port = port
        self.mode = mode
        latencyMs = latency
        passphrase = query["passphrase"]
        streamId = query["streamid"]
    }

    /// The URI as srtsrc/srtsink take it, with AES-256 whenever a passphrase is set.
    public var uri: String {
        var components = URLComponents()
        components.scheme = "srt"
        components.host = host
        components.port = port
        var items = [URLQueryItem(name: "mode", value: mode.rawValue), URLQueryItem(name: "latency", value: String(latencyMs))]
        if let passphrase {
            items.append(URLQueryItem(name: "passphrase", value: passphrase))
            items.append(URLQueryItem(name: "pbkeylen", value: "32"))
        }
        if let streamId { items.append(URLQueryItem(name: "streamid", value: streamId)) }
        components.queryItems = items
        return components.string ?? "srt://\(host):\(port)"
    }
}
