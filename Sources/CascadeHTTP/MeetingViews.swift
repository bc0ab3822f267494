import CascadeCore
import CascadeStore
import Foundation

/// A meeting as the API shows it, with times in the configured zone.
public struct MeetingView: Codable, Sendable {
    public var id: String
    public var seriesId: String?
    public var title: String
    public var organiserUnitId: String
    public var chair: String
    public var start: String
    public var end: String
    public var rehearsalStart: String
    public var halls: [String]
    public var hallSelection: Selection
    public var rehearsalMinutes: Int
    public var record: Bool
    public var classification: Classification
    public var notes: String
    public var bitrateKbps: Int
    /// The origin the booking named (`nil`: the organiser's default).
    public var origin: String?
    public var state: MeetingState

    public struct Selection: Codable, Sendable {
        public var halls: [String]
        public var hallsOfUnit: String?
    }

    init(_ meeting: Meeting, zone: TimeZone) {
        id = meeting.id
        seriesId = meeting.seriesId.map { "s\($0)" }
        title = meeting.details.title
        organiserUnitId = meeting.details.organiserUnitId
        chair = meeting.details.chair
        start = TimeInput.format(meeting.start, zone: zone)
        end = TimeInput.format(meeting.end, zone: zone)
        rehearsalStart = TimeInput.format(meeting.window.start, zone: zone)
        halls = meeting.hallIds
        hallSelection = Selection(halls: meeting.details.halls.hallIds, hallsOfUnit: meeting.details.halls.subtreeUnitId)
        rehearsalMinutes = meeting.details.rehearsalMinutes
        record = meeting.details.isRecorded
        classification = meeting.details.classification
        notes = meeting.details.notes
        bitrateKbps = meeting.details.bitrateKbps
        origin = meeting.details.origin
        state = meeting.state
    }
}

/// A series as the API shows it.
public struct SeriesView: Codable, Sendable {
    public var id: String
    public var title: String
    public var firstDate: LocalDate
    public var startTime: String
    public var durationMinutes: Int
    public var zone: String
    public var recurrence: Recurrence
    public var halls: [String]
    public var nextOccurrences: [MeetingView]

    init(_ series: Series, now: Date) {
        id = "s\(series.id)"
        title = series.details.title
        firstDate = series.firstDate
        startTime = series.startTime.description
        durationMinutes = series.durationMinutes
        zone = series.zone.identifier
        recurrence = series.rule
        halls = series.hallIds
        nextOccurrences = Array(series.occurrences(overlapping: Window(start: now, end: now.addingTimeInterval(400 * 86400)))
            .filter { $0.state == .booked }.prefix(5)).map { MeetingView($0, zone: series.zone) }
    }
}

/// One conflict of a refused booking.
struct ConflictView: Codable, Equatable {
    var kind: String
    var meetingId: String
    var hallId: String?
    var unitId: String?
    var otherMeetings: [Conflict.OtherMeeting]
    var overlapStart: String
    var overlapEnd: String
    var reason: String

    init(_ conflict: Conflict, zone: TimeZone) {
        kind = conflict.kind.rawValue
        // A booking not yet written has no id: name its occurrence by date.
        meetingId = conflict.meetingId.hasPrefix("s0-") ? "new-" + conflict.meetingId.dropFirst(3) : conflict.meetingId
        hallId = conflict.hallId
        unitId = conflict.unitId
        otherMeetings = conflict.otherMeetings
        overlapStart = TimeInput.format(conflict.overlap.start, zone: zone)
        overlapEnd = TimeInput.format(conflict.overlap.end, zone: zone)
        reason = conflict.reason
    }
}

/// A suggested free slot.
struct SlotView: Codable, Equatable {
    var start: String
    var end: String

    /// Free slots as the API shows them, in `zone`.
    static func slots(_ windows: [Window], zone: TimeZone) -> [SlotView] {
        windows.map { SlotView(start: TimeInput.format($0.start, zone: zone), end: TimeInput.format($0.end, zone: zone)) }
    }
}

/// The answer of `POST /api/v1/meetings/check`: what a booking would run into, nothing written.
struct BookingCheckView: Encodable {
    /// Whether the booking would go through now.
    var isFree: Bool
    /// The halls the booking resolves to (its own and every hall of `hallsOfUnit`).
    var hallIds: [String]
    var conflicts: [ConflictView]
    var suggestions: [SlotView]

    init(_ refusal: BookingRefusal?, hallIds: [String], zone: TimeZone) {
        isFree = refusal == nil
        self.hallIds = hallIds
        conflicts = refusal?.conflicts.map { ConflictView($0, zone: zone) } ?? []
        suggestions = SlotView.slots(refusal?.suggestions ?? [], zone: zone)
    }
}

extension Problem {
    /// 409 with every conflict and the suggested slots.
    static func refused(_ refusal: BookingRefusal, zone: TimeZone) -> Problem {
        let count = refusal.conflicts.count
        var problem = Problem(
            status: .conflict, code: "booking-conflict",
            detail: "the booking conflicts \(count == 1 ? "once" : "\(count) times"): " + refusal.conflicts.prefix(3).map(\.reason).joined(separator: "; ")
        )
        problem.conflicts = refusal.conflicts.map { ConflictView($0, zone: zone) }
        problem.suggestions = SlotView.slots(refusal.suggestions, zone: zone)
        return problem
    }
}
