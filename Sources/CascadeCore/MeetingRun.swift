import Foundation

/// Where a meeting's run stands: what the scheduler has brought up for it.
public enum MeetingRunState: String, Sendable, Codable, CaseIterable {
    /// Booked; nothing runs yet.
    case booked
    /// From start − rehearsal lead: the relay is up and the halls join.
    case rehearsal
    /// From the start: the meeting is on (and recorded when it records).
    case live
    /// It ran and ended (on time, early by hand, or closed after the server was down).
    case held
    /// The relay could not be started after its retries.
    case failed
    /// Cancelled before or while it ran.
    case cancelled

    /// Whether the run is over.
    public var isFinal: Bool { self == .held || self == .failed || self == .cancelled }
    /// Whether the relay should be up.
    public var isRunning: Bool { self == .rehearsal || self == .live }
}

/// One step of a run, kept for good.
public struct MeetingRunTransition: Sendable, Hashable, Codable {
    /// The meeting.
    public var meetingId: String
    /// The state left.
    public var from: MeetingRunState
    /// The state entered.
    public var to: MeetingRunState
    /// When it happened (the real time, or the last moment known running for a close after downtime).
    public var at: Date
    /// Why, in words.
    public var reason: String

    /// Creates a transition.
    public init(meetingId: String, from: MeetingRunState, to: MeetingRunState, at: Date, reason: String) {
        self.meetingId = meetingId
        self.from = from
        self.to = to
        self.at = at
        self.reason = reason
    }
}

/// Something a technician must look at now.
public struct MeetingAlarm: Sendable, Hashable, Codable {
    /// What kind of trouble.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The relay could not be started (it is retried).
        case relayStartFailed = "relay-start-failed"
        /// The relay could not be started after every retry: the meeting failed.
        case meetingFailed = "meeting-failed"
        /// The relay stopped during the meeting (it is restarted).
        case relayLost = "relay-lost"
        /// The recording could not be started.
        case recordingFailed = "recording-failed"
        /// The source has been lost for a while.
        case sourceLost = "source-lost"
        /// The source's sound has been silent for a while.
        case silence
        /// Shortly before the start, a hall is not connected.
        case hallNotConnected = "hall-not-connected"
        /// Shortly before the start, a hall's picture and sound are not confirmed.
        case hallNotConfirmed = "hall-not-confirmed"
        /// The server was down at the end: the run was closed at the last moment it was known running.
        case closedAfterDowntime = "closed-after-downtime"
    }

    /// The kind.
    public var kind: Kind
    /// The hall concerned, if any.
    public var hallId: String?
    /// What happened, in words.
    public var detail: String
    /// When it was raised.
    public var at: Date

    /// Creates an alarm.
    public init(kind: Kind, hallId: String? = nil, detail: String, at: Date) {
        self.kind = kind
        self.hallId = hallId
        self.detail = detail
        self.at = at
    }
}

/// A meeting occurrence's run: one per meeting id (a unique key in the database), kept across
/// server restarts so the scheduler resumes it instead of starting another.
public struct MeetingRun: Sendable, Hashable, Codable {
    /// The meeting (`m12` or `s3-2026-12-07`).
    public var meetingId: String
    /// The state.
    public var state: MeetingRunState
    /// The relay carrying the meeting now.
    public var relayId: Int64?
    /// The halls that relay serves.
    public var relayHalls: [String]
    /// The recording being made now.
    public var recordingId: Int64?
    /// Every recording the run made (a relay restarted mid-meeting gives a second one).
    public var recordingIds: [Int64]
    /// When the rehearsal began.
    public var rehearsalAt: Date?
    /// When it went live (the real start).
    public var liveAt: Date?
    /// When it ended (the real end).
    public var endedAt: Date?
    /// Why it ended, failed or was cancelled.
    public var endReason: String?
    /// Failed relay starts in a row.
    public var startAttempts: Int
    /// No relay start before this moment (backoff after a failure).
    public var nextStartAt: Date?
    /// Whether the relay takes the feed's backup URI.
    public var usesBackup: Bool
    /// The last moment the scheduler saw this run running.
    public var lastSeenRunningAt: Date?
    /// Since when the source has been lost, while running.
    public var sourceLostSince: Date?
    /// Since when the source's sound has been silent, while running.
    public var silentSince: Date?
    /// Alarms raised, newest last (at most 100 kept).
    public var alarms: [MeetingAlarm]
    /// Whether the readiness check at start − 10 min has been made.
    public var isReadinessChecked: Bool

    /// A run not started yet.
    public init(meetingId: String) {
        self.meetingId = meetingId
        state = .booked
        relayHalls = []
        recordingIds = []
        startAttempts = 0
        usesBackup = false
        alarms = []
        isReadinessChecked = false
    }
}
