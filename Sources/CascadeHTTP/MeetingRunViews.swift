import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation

/// A meeting's run as technicians watch it: its state and next transition, the source, every hall's
/// link and confirmation, alarms and the transitions so far (`GET /meetings/{id}/run`).
struct MeetingRunView: Encodable {
    var meetingId: String
    var title: String
    var state: MeetingRunState
    var origin: OriginView?
    var rehearsalAt: Date?
    var liveAt: Date?
    var endedAt: Date?
    var endReason: String?
    var relayId: String?
    var recordingIds: [String]
    var nextTransition: NextTransition?
    var source: SourceView?
    var halls: [HallReadiness]
    var alarms: [MeetingAlarm]
    var transitions: [MeetingRunTransition]

    struct OriginView: Encodable {
        var id: String
        var name: String
        var hallId: String?
        var hasBackup: Bool
        var usesBackup: Bool
    }

    struct NextTransition: Encodable {
        var state: MeetingRunState
        /// In the configured zone, like the meeting's times.
        var at: String
    }

    struct SourceView: Encodable {
        /// `connecting`, `live` or `lost`.
        var state: String
        var problem: String?
        /// The sound's peak in dB (0 is full scale; below −60 is silence), when measured.
        var audioPeakDecibels: Double?
        var reportedAt: Date
    }

    struct HallReadiness: Encodable {
        var hallId: String
        var name: String
        /// `connected`, `waiting`, `not-measurable` (multicast) or `origin`.
        var state: String
        var connectedSince: Date?
        var bitrateKbps: Int?
        var lostPackets: Int64?
        var retransmittedPackets: Int64?
        var rttMs: Double?
        var lastReportAt: Date?
        var confirmation: HallConfirmation?
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
struct RunSheetEntry: Encodable {
    var meetingId: String
    var title: String
    var organiserUnitId: String
    var start: String
    var end: String
    var rehearsalStart: String
    var halls: [String]
    var state: MeetingRunState
    var nextTransition: MeetingRunView.NextTransition?
    var alarms: [MeetingAlarm]
    var relayId: String?
}
