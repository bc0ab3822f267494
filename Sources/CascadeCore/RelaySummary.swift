import Foundation

/// A relay as the database keeps it: what it carried, to which halls, and how each link did.
public struct RelaySummary: Sendable, Codable, Equatable {
    /// The relay's lifecycle.
    public enum State: String, Sendable, Codable {
        /// Its worker is running (or being restarted).
        case running
        /// Stopped by a technician or at shutdown of the meeting.
        case stopped
        /// Could not be kept running; see `reason`.
        case failed
    }

    /// Id, e.g. 7 (shown as "rl7").
    public var id: Int64
    /// The meeting it serves, if any.
    public var meetingId: String?
    /// The source, without secrets.
    public var source: String
    /// The SRT listener port halls call into.
    public var listenerPort: Int
    /// State.
    public var state: State
    /// Started, UTC.
    public var startedAt: Date
    /// Stopped, UTC.
    public var stoppedAt: Date?
    /// Why it stopped or failed.
    public var reason: String?
    /// Who started it.
    public var createdBy: String
    /// Every hall it served, with the link summary.
    public var halls: [RelayHallSummary]

    /// Creates a summary.
    public init(id: Int64, meetingId: String?, source: String, listenerPort: Int, state: State, startedAt: Date, stoppedAt: Date?, reason: String?, createdBy: String, halls: [RelayHallSummary]) {
        self.id = id
        self.meetingId = meetingId
        self.source = source
        self.listenerPort = listenerPort
        self.state = state
        self.startedAt = startedAt
        self.stoppedAt = stoppedAt
        self.reason = reason
        self.createdBy = createdBy
        self.halls = halls
    }
}

/// One hall's link over a relay's life (attendance is derived from the connect events).
public struct RelayHallSummary: Sendable, Codable, Equatable {
    /// The hall.
    public var hallId: String
    /// When it was added.
    public var addedAt: Date
    /// When it was removed (or the relay ended).
    public var removedAt: Date?
    /// Seconds its decoder was connected.
    public var connectedSeconds: Int
    /// Bytes sent to it.
    public var bytes: Int64
    /// Packets lost on its link.
    public var lostPackets: Int64
    /// Packets retransmitted on its link.
    public var retransmittedPackets: Int64
    /// The largest round-trip time seen, in milliseconds.
    public var maxRttMs: Double?

    /// Creates a hall summary.
    public init(hallId: String, addedAt: Date, removedAt: Date? = nil, connectedSeconds: Int = 0, bytes: Int64 = 0, lostPackets: Int64 = 0, retransmittedPackets: Int64 = 0, maxRttMs: Double? = nil) {
        self.hallId = hallId
        self.addedAt = addedAt
        self.removedAt = removedAt
        self.connectedSeconds = connectedSeconds
        self.bytes = bytes
        self.lostPackets = lostPackets
        self.retransmittedPackets = retransmittedPackets
        self.maxRttMs = maxRttMs
    }
}

/// A relay event as stored (the live feed carries the same).
public struct RelayEventRecord: Sendable, Codable, Equatable {
    /// The relay.
    public var relayId: Int64
    /// When, UTC.
    public var at: Date
    /// e.g. "source-lost", "hall-connected".
    public var kind: String
    /// The hall concerned.
    public var hallId: String?
    /// Details.
    public var detail: String

    /// Creates an event record.
    public init(relayId: Int64, at: Date, kind: String, hallId: String?, detail: String) {
        self.relayId = relayId
        self.at = at
        self.kind = kind
        self.hallId = hallId
        self.detail = detail
    }
}
