import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation

/// A meeting's run as technicians watch it: its state and next transition, the source, every hall's
/// link and confirmation, alarms and the transitions so far (`GET /meetings/{id}/run`).
public struct MeetingRunView: Codable, Sendable {
    public var meetingId: String
    public var title: String
    public var state: MeetingRunState
    public var origin: OriginView?
    public var rehearsalAt: Date?
    public var liveAt: Date?
    public var endedAt: Date?
    public var endReason: String?
    public var relayId: String?
    public var recordingIds: [String]
    public var nextTransition: NextTransition?
    public var source: SourceView?
    public var halls: [HallReadiness]
    public var alarms: [MeetingAlarm]
    public var transitions: [MeetingRunTransition]

    public struct OriginView: Codable, Sendable {
        public var id: String
        public var name: String
        public var hallId: String?
        public var hasBackup: Bool
        public var usesBackup: Bool
    }

    public struct NextTransition: Codable, Sendable {
        public var state: MeetingRunState
        /// In the configured zone, like the meeting's times.
        public var at: String
    }

    public struct SourceView: Codable, Sendable {
        /// `connecting`, `live` or `lost`.
        public var state: String
        public var problem: String?
        /// The sound's peak in dB (0 is full scale; below −60 is silence), when measured.
        public var audioPeakDecibels: Double?
        public var reportedAt: Date
    }

    public struct HallReadiness: Codable, Sendable {
        public var hallId: String
        public var name: String
        /// `connected`, `waiting`, `not-measurable` (multicast) or `origin`.
        public var state: String
        public var connectedSince: Date?
        public var bitrateKbps: Int?
        public var lostPackets: Int64?
        public var retransmittedPackets: Int64?
        public var rttMs: Double?
        public var lastReportAt: Date?
        public var confirmation: HallConfirmation?
    }

    /// The next state the run will enter on its own, and when.
    static func next(after state: MeetingRunState, meeting: Meeting, grace: TimeInterval, zone: TimeZone) -> NextTransition? {
        switch state {
        case .booked: NextTransition(state: .rehearsal, at: TimeInput.format(meeting.window.start, zone: zone))
        case .rehearsal: NextTransition(state: .live, at: TimeInput.format(meeting.start, zone: zone))
        case .live: NextTransition(state: .held, at: TimeInput.format(meeting.end.addingTimeInterval(grace), zone: zone))
        case .held, .failed, .cancelled: nil
        }
    }
}

/// One meeting on today's run sheet.
public struct RunSheetEntry: Codable, Sendable {
    public var meetingId: String
    public var title: String
    public var organiserUnitId: String
    public var start: String
    public var end: String
    public var rehearsalStart: String
    public var halls: [String]
    public var state: MeetingRunState
    public var nextTransition: MeetingRunView.NextTransition?
    public var alarms: [MeetingAlarm]
    public var relayId: String?
}
