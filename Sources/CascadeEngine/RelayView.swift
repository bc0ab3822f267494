import CascadeCore
import CascadeMedia
import Foundation

/// Where one hall's decoder gets the stream: the URL it calls, or the address it is sent to.
public struct HallAccess: Sendable, Codable, Equatable {
    /// The hall.
    public var hallId: String
    /// How the stream reaches the hall.
    public enum Mode: String, Sendable, Codable {
        /// The hall's decoder calls `url`.
        case callIn = "call-in"
        /// Cascade calls the hall's decoder at `url`.
        case called
        /// Cascade sends to the multicast group at `url`.
        case multicast
    }

    /// How the stream reaches the hall.
    public var mode: Mode
    /// The SRT URL with stream id and passphrase, or `udp://group:port`.
    public var url: String
}

/// A running relay as technicians watch it.
public struct RelayLive: Sendable, Codable, Equatable {
    /// The relay id.
    public var id: Int64
    /// Starting, running, restarting or stopping.
    public var state: MediaJobMachine.Phase
    /// The worker's process id, while it runs.
    public var pid: Int32?
    /// Worker restarts so far.
    public var restarts: Int
    /// The source, without secrets.
    public var source: String
    /// How halls reach the stream.
    public var halls: [HallAccess]
    /// The latest second of statistics.
    public var statistics: RelayStatistics?
    /// The most recent events, oldest first.
    public var recentEvents: [RelayEvent]
}
