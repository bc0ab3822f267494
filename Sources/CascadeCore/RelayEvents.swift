import Foundation

/// Something that happened on a relay hop, with the moment it happened.
public struct RelayEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The input delivers pictures; halls see the live stream.
        case sourceLive = "source-live"
        /// The input went silent; halls see the slate.
        case sourceLost = "source-lost"
        /// A hall's decoder connected.
        case hallConnected = "hall-connected"
        /// A hall's decoder disconnected, or a call to it failed.
        case hallDisconnected = "hall-disconnected"
        /// A caller was refused: unknown stream id or failed handshake (wrong passphrase).
        case hallRefused = "hall-refused"
        /// A hall was added to the running relay.
        case hallAdded = "hall-added"
        /// A hall was removed from the running relay.
        case hallRemoved = "hall-removed"
        /// The relay's worker ended unexpectedly and is being restarted.
        case relayRestarting = "relay-restarting"
    }

    /// When, in UTC.
    public var at: Date
    /// What.
    public var kind: Kind
    /// The hall concerned, if any.
    public var hallId: String?
    /// Details for people: an address, a reason.
    public var detail: String

    /// Creates an event.
    public init(at: Date = Date(), kind: Kind, hallId: String? = nil, detail: String = "") {
        self.at = at
        self.kind = kind
        self.hallId = hallId
        self.detail = detail
    }
}

/// One second of a relay hop: the input and every hall.
public struct RelayStatistics: Sendable, Hashable, Codable {
    /// When sampled.
    public var at: Date
    /// "connecting", "live" or "lost".
    public var source: String
    /// Why the source is not live, when known (e.g. "Connection refused").
    public var sourceProblem: String?
    /// Per hall.
    public var halls: [HallStatistics]
    /// The source's sound: its peak in dB (0 is full scale) when measured (root relays; a pass-through hop does not decode).
    public var audioPeakDecibels: Double?

    /// Creates a sample.
    public init(at: Date, source: String, sourceProblem: String? = nil, halls: [HallStatistics], audioPeakDecibels: Double? = nil) {
        self.at = at
        self.source = source
        self.sourceProblem = sourceProblem
        self.halls = halls
        self.audioPeakDecibels = audioPeakDecibels
    }
}

/// One hall's link in one sample.
public struct HallStatistics: Sendable, Hashable, Codable {
    /// The hall.
    public var hallId: String
    /// Whether its decoder is connected (always true for UDP, which has no connection).
    public var connected: Bool
    /// The decoder's address, when known.
    public var address: String?
    /// Bytes sent in the last second, as kbit/s.
    public var bitrateKbps: Int
    /// Round-trip time in milliseconds (SRT only).
    public var rttMs: Double?
    /// Packets lost on the link since it connected (SRT only).
    public var lostPackets: Int64?
    /// Packets retransmitted since it connected (SRT only).
    public var retransmittedPackets: Int64?
    /// Bytes sent since it connected.
    public var bytes: UInt64

    /// Creates a hall sample.
    public init(hallId: String, connected: Bool, address: String? = nil, bitrateKbps: Int = 0, rttMs: Double? = nil, lostPackets: Int64? = nil, retransmittedPackets: Int64? = nil, bytes: UInt64 = 0) {
        self.hallId = hallId
        self.connected = connected
        self.address = address
        self.bitrateKbps = bitrateKbps
        self.rttMs = rttMs
        self.lostPackets = lostPackets
        self.retransmittedPackets = retransmittedPackets
        self.bytes = bytes
    }
}

extension RelayEvent.Kind {
    /// Whether the event's detail names the relay's source (its address), which only those who
    /// operate media may see.
    public var carriesSourceAddress: Bool { self == .sourceLive || self == .sourceLost }
}
