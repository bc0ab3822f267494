import CascadeCore
import CascadeEngine
import Foundation

/// A relay as the API shows it (and the command line reads it): the stored summary and, while it
/// runs, the live view, with the hops the cascade takes to its halls.
public struct RelayView: Codable, Sendable {
    /// `rl<id>`.
    public var id: String
    /// The meeting it serves.
    public var meetingId: String?
    /// The source's address without secrets; only for those who operate media.
    public var source: String?
    /// The SRT listener's port.
    public var listenerPort: Int
    /// starting, running, restarting, stopping while it runs; then stopped or failed.
    public var state: String
    /// When it started.
    public var startedAt: Date
    /// When it ended.
    public var stoppedAt: Date?
    /// Why it ended, when not simply stopped.
    public var reason: String?
    /// Who started it.
    public var createdBy: String
    /// Each hall's link over the relay's life.
    public var halls: [RelayHallSummary]
    /// How each hall the caller operates reaches the stream (with its key).
    public var access: [HallAccess]?
    /// Worker restarts so far.
    public var restarts: Int?
    /// The worker's process id.
    public var pid: Int32?
    /// The latest second of figures.
    public var statistics: RelayStatistics?
    /// The most recent events, oldest first.
    public var recentEvents: [RelayEvent]?
    /// The hops from the top of the tree to the halls.
    public var plan: [RelayPlan.Hop]?

    /// `mayOperate` says for a hall whether the caller operates its media: only then does its
    /// `access` (the URL with the SRT passphrase) appear. `maySee` says whether the caller may see
    /// a hall at all: another unit's halls in a shared relay (their figures, events, decoder
    /// addresses) are left out. `showsSource`: the source's address (even without its secrets: a
    /// host, a port, a stream id) is for those who operate media.
    init(_ summary: RelaySummary, live: RelayLive?, tree: UnitTree, showsSource: Bool, mayOperate: (String) -> Bool, maySee: (String) -> Bool) {
        id = "rl\(summary.id)"
        meetingId = summary.meetingId
        source = showsSource ? summary.source : nil
        listenerPort = summary.listenerPort
        state = live?.state.rawValue ?? summary.state.rawValue
        startedAt = summary.startedAt
        stoppedAt = summary.stoppedAt
        reason = summary.reason
        createdBy = summary.createdBy
        halls = summary.halls.filter { maySee($0.hallId) }
        access = live?.halls.filter { mayOperate($0.hallId) }
        restarts = live?.restarts
        pid = live?.pid
        statistics = live?.statistics.map { sample in
            var visible = sample
            visible.halls = sample.halls.filter { maySee($0.hallId) }
            return visible
        }
        recentEvents = live?.recentEvents.filter { $0.hallId.map(maySee) ?? true }.map { event in
            var shown = event
            if !showsSource, event.kind.carriesSourceAddress { shown.detail = "" }
            return shown
        }
        plan = RelayPlan(tree: tree, reaching: summary.halls.filter { $0.removedAt == nil }.map(\.hallId))?.hops
    }
}
