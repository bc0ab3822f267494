/// Everything a relay worker needs: where the stream comes from, how the root normalises it, and
/// which halls receive it. Built by the server from its configuration, never taken from a client.
public struct RelaySpec: Sendable, Hashable, Codable {
    /// The relay's id, used in channel names and events.
    public var relayId: String
    /// The validated source URI (see ``RelaySource``).
    public var source: String
    /// The meeting title shown on the slate.
    public var title: String
    /// The picture and bitrates every hall receives.
    public var canvas: RelayCanvas
    /// The SRT listener that halls identified by stream id call into.
    public var listener: RelayListener
    /// The halls receiving the stream when the relay starts.
    public var outputs: [RelayOutput]
    /// How long the input may stay silent before the halls get the slate.
    public var lossAfterMs: Int
    /// A hop below the root: pass the (already normalised) MPEG-TS through without decoding; no slate
    /// of its own (the root's slate reaches it through the stream).
    public var passThrough: Bool?
    /// Hops the LAN halls' multicast may cross; `nil` (specs saved before it existed) means 8.
    public var multicastTTL: Int?

    /// Creates a spec.
    public init(relayId: String, source: String, title: String, canvas: RelayCanvas, listener: RelayListener, outputs: [RelayOutput], lossAfterMs: Int = 1000, multicastTTL: Int = 8) {
        self.multicastTTL = multicastTTL
        self.relayId = relayId
        self.source = source
        self.title = title
        self.canvas = canvas
        self.listener = listener
        self.outputs = outputs
        self.lossAfterMs = lossAfterMs
    }
}

/// The normalised stream: H.264 + AAC at a fixed size and rate, one keyframe per second.
public struct RelayCanvas: Sendable, Hashable, Codable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Frames per second (also the GOP length, so a keyframe every second).
    public var framerate: Int
    /// H.264 bitrate in kbit/s.
    public var videoKbps: Int
    /// AAC bitrate in kbit/s.
    public var audioKbps: Int

    /// Creates a canvas.
    public init(width: Int, height: Int, framerate: Int, videoKbps: Int, audioKbps: Int = 128) {
        self.width = width
        self.height = height
        self.framerate = framerate
        self.videoKbps = videoKbps
        self.audioKbps = audioKbps
    }
}

/// The relay's SRT listener.
public struct RelayListener: Sendable, Hashable, Codable {
    /// UDP port.
    public var port: Int
    /// AES-256 passphrase; `nil` only for a LAN test setup.
    public var passphrase: String?
    /// Latency the listener offers, in milliseconds (SRT uses the larger of both ends').
    public var latencyMs: Int

    /// Creates a listener.
    public init(port: Int, passphrase: String?, latencyMs: Int) {
        self.port = port
        self.passphrase = passphrase
        self.latencyMs = latencyMs
    }
}

/// One hall's output.
public struct RelayOutput: Sendable, Hashable, Codable {
    /// The hall.
    public var hallId: String
    /// How the stream reaches it.
    public var destination: Destination
    /// The hall's own passphrase for calling the listener, when it has one (else the relay's).
    public var passphrase: String?

    /// How a hall receives.
    public enum Destination: Sendable, Hashable {
        /// The hall's decoder calls the relay's listener with this stream id.
        case streamId(String)
        /// The relay calls the hall's listening decoder at this SRT URI.
        case call(uri: String)
        /// The relay sends UDP MPEG-TS to this host (or multicast group) and port.
        case udp(host: String, port: Int)
        /// A consumer on the same host (a recorder) calls the listener with this stream id; not a hall,
        /// so it has no statistics or hall events.
        case tap(streamId: String)
    }

    /// Creates an output.
    public init(hallId: String, destination: Destination, passphrase: String? = nil) {
        self.hallId = hallId
        self.destination = destination
        self.passphrase = passphrase
    }
}

extension RelayOutput.Destination: Codable {
    private enum Keys: String, CodingKey { case streamId, call, udp, tap }
    private enum Fields: String, CodingKey { case uri, host, port, streamId, legacyValue = "_0" }

    /// Decodes `{"streamId":"…"}`, `{"call":{"uri":…}}`, `{"udp":{"host":…,"port":…}}` or
    /// `{"tap":{"streamId":…}}` (and `{"streamId":{"_0":…}}`, as relays saved by protocol 1 were).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if c.contains(.streamId) {
            if let id = try? c.decode(String.self, forKey: .streamId) {
                self = .streamId(id)
            } else {
                self = .streamId(try c.nestedContainer(keyedBy: Fields.self, forKey: .streamId).decode(String.self, forKey: .legacyValue))
            }
        } else if c.contains(.call) {
            self = .call(uri: try c.nestedContainer(keyedBy: Fields.self, forKey: .call).decode(String.self, forKey: .uri))
        } else if c.contains(.udp) {
            let fields = try c.nestedContainer(keyedBy: Fields.self, forKey: .udp)
            self = .udp(host: try fields.decode(String.self, forKey: .host), port: try fields.decode(Int.self, forKey: .port))
        } else {
            self = .tap(streamId: try c.nestedContainer(keyedBy: Fields.self, forKey: .tap).decode(String.self, forKey: .streamId))
        }
    }

    /// Encodes as described at ``init(from:)``.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .streamId(let id):
            try c.encode(id, forKey: .streamId)
        case .call(let uri):
            var fields = c.nestedContainer(keyedBy: Fields.self, forKey: .call)
            try fields.encode(uri, forKey: .uri)
        case .udp(let host, let port):
            var fields = c.nestedContainer(keyedBy: Fields.self, forKey: .udp)
            try fields.encode(host, forKey: .host)
            try fields.encode(port, forKey: .port)
        case .tap(let streamId):
            var fields = c.nestedContainer(keyedBy: Fields.self, forKey: .tap)
            try fields.encode(streamId, forKey: .streamId)
        }
    }
}

extension RelayOutput.Destination {
    /// Whether Cascade calls the hall.
    var isCall: Bool {
        if case .call = self { return true }
        return false
    }
}
