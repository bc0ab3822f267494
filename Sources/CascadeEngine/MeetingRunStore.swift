import CascadeCore
import Foundation

/// A meeting as the scheduler needs it: when, which halls, from which feed.
public struct ScheduledMeeting: Sendable, Equatable {
    /// The meeting's id.
    public var id: String
    /// Its title (shown on the slate).
    public var title: String
    /// Its times, halls and state as booked now.
    public var booking: MeetingRunMachine.Booking
    /// Where its picture comes from, or why that cannot be known.
    public var feed: Result<Feed, OriginError>
    /// Its receiving halls whose connection can be measured (SRT).
    public var measurableHalls: Set<String>

    /// Creates a scheduled meeting.
    public init(id: String, title: String, booking: MeetingRunMachine.Booking, feed: Result<Feed, OriginError>, measurableHalls: Set<String>) {
        self.id = id
        self.title = title
        self.booking = booking
        self.feed = feed
        self.measurableHalls = measurableHalls
    }
}

/// Where the scheduler reads the calendar and keeps its runs: the embedded database, wired by the
/// composition root.
public protocol MeetingRunStore: Sendable {
    /// Meetings (cancelled ones included) whose rehearsal-to-end-and-grace window may hold `now`.
    func meetingsNear(_ now: Date, grace: TimeInterval) throws -> [ScheduledMeeting]
    /// One meeting as booked now; `nil` when it no longer exists.
    func scheduledMeeting(_ id: String) throws -> ScheduledMeeting?
    /// The run for `owner` to drive (created if new); `nil` while another scheduler holds it.
    func claimRun(_ meetingId: String, owner: String, now: Date) throws -> MeetingRun?
    /// Saves a run with the transitions it made (audited).
    func saveRun(_ run: MeetingRun, owner: String, now: Date, transitions: [MeetingRunTransition]) throws
    /// Keeps `owner`'s hold on these runs.
    func renewRuns(_ meetingIds: [String], owner: String, now: Date) throws
    /// Runs not over, to resume after a restart.
    func unfinishedRuns() throws -> [MeetingRun]
    /// Halls whose picture and sound a technician confirmed.
    func confirmedHalls(_ meetingId: String) throws -> Set<String>
}

/// What the scheduler asks of the relays and recordings.
public protocol MeetingMedia: Sendable {
    /// Returns once the relays and recordings a previous server run left are taken up again.
    func waitUntilResumed() async
    /// Starts a relay of `source` to `halls` for the meeting (forwarding it without decoding when
    /// `passThrough`); returns its id.
    func startRelay(meetingId: String, title: String, source: String, halls: [String], passThrough: Bool) async throws -> Int64
    /// The relay as seen now; `nil` when it no longer runs.
    func observeRelay(_ id: Int64) async -> RelayObservation?
    /// Adds and removes halls of a running relay.
    func changeHalls(relayId: Int64, add: [String], remove: [String]) async throws
    /// Makes a running relay take another source; the halls stay connected.
    func switchSource(relayId: Int64, to source: String) async throws
    /// Stops a relay and waits until it is gone.
    func stopRelay(_ id: Int64) async
    /// Records a relay's output for the meeting; returns the recording's id.
    func startRecording(relayId: Int64, meetingId: String) async throws -> Int64
    /// Whether a recording is being made.
    func isRecording(_ id: Int64) async -> Bool
    /// Stops a recording and waits until its last part is final.
    func stopRecording(_ id: Int64) async
}

/// A running relay as the scheduler sees it.
public struct RelayObservation: Sendable, Equatable {
    /// Halls whose decoder is connected.
    public var connectedHalls: Set<String>
    /// Whether the source is live; `nil` before the first report.
    public var isSourceLive: Bool?
    /// The source's sound peak in dB, when measured.
    public var audioPeakDecibels: Double?

    /// Creates an observation.
    public init(connectedHalls: Set<String>, isSourceLive: Bool?, audioPeakDecibels: Double? = nil) {
        self.connectedHalls = connectedHalls
        self.isSourceLive = isSourceLive
        self.audioPeakDecibels = audioPeakDecibels
    }
}

/// A transition or an alarm of a meeting's run, as announced on the event stream and to webhooks.
public struct MeetingRunEvent: Sendable, Codable, Equatable {
    /// `meeting-state` or `meeting-alarm`.
    public var kind: String
    /// The meeting.
    public var meetingId: String
    /// Its title.
    public var title: String
    /// The run's state after the event.
    public var state: MeetingRunState
    /// The transition, for `meeting-state`.
    public var transition: MeetingRunTransition?
    /// The alarm, for `meeting-alarm`.
    public var alarm: MeetingAlarm?
    /// When.
    public var at: Date
}
