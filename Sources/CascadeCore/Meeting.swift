import Foundation

/// How secret a meeting is; the recording and calendar feeds follow it.
public enum Classification: String, Sendable, Codable, CaseIterable {
    case `public`, `internal`, confidential
}

/// Where a meeting stands.
public enum MeetingState: String, Sendable, Codable, CaseIterable {
    /// Booked; its halls are taken.
    case booked
    /// Cancelled; its halls are free again.
    case cancelled
    /// It took place.
    case held
}

/// The halls a meeting uses: chosen one by one, and/or every hall of a unit's subtree.
public struct HallSelection: Sendable, Hashable, Codable {
    /// Halls chosen explicitly.
    public var hallIds: [String]
    /// "All halls of this unit's subtree", resolved at booking time and again when the tree changes.
    public var subtreeUnitId: String?

    /// Creates a selection.
    public init(hallIds: [String] = [], subtreeUnitId: String? = nil) {
        self.hallIds = hallIds
        self.subtreeUnitId = subtreeUnitId
    }

    /// The hall ids this selection means in `tree`, in configuration order.
    public func resolve(in tree: UnitTree) -> [String] {
        let subtree = subtreeUnitId.map { tree.subtree(of: $0) } ?? []
        let explicit = Set(hallIds)
        return tree.halls.filter { explicit.contains($0.id) || subtree.contains($0.unitId) }.map(\.id)
    }
}

/// What every meeting, single or in a series, carries besides its time.
public struct MeetingDetails: Sendable, Hashable, Codable {
    /// Title, e.g. "Giao ban Ban Thường vụ".
    public var title: String
    /// The organising unit.
    public var organiserUnitId: String
    /// Who chairs it (free text).
    public var chair: String
    /// Which halls take part.
    public var halls: HallSelection
    /// Minutes before the start from which the halls are taken for the rehearsal.
    public var rehearsalMinutes: Int
    /// Whether it is recorded.
    public var isRecorded: Bool
    /// Classification.
    public var classification: Classification
    /// Free notes.
    public var notes: String
    /// The stream's bitrate, for link capacity checks.
    public var bitrateKbps: Int
    /// Where the picture comes from: a feed id or a hall id; `nil` takes the organiser's default.
    public var origin: String?

    /// Creates details.
    public init(title: String, organiserUnitId: String, chair: String = "", halls: HallSelection, rehearsalMinutes: Int = 30,
                isRecorded: Bool = true, classification: Classification = .internal, notes: String = "", bitrateKbps: Int = 4000,
                origin: String? = nil) {
        self.title = title
        self.organiserUnitId = organiserUnitId
        self.chair = chair
        self.halls = halls
        self.rehearsalMinutes = rehearsalMinutes
        self.isRecorded = isRecorded
        self.classification = classification
        self.notes = notes
        self.bitrateKbps = bitrateKbps
        self.origin = origin
    }
}

/// One meeting as users see it: a single booking, or one occurrence of a series.
public struct Meeting: Sendable, Hashable, Codable {
    /// `m<number>` for a single meeting, `s<number>-<yyyy-MM-dd>` for an occurrence.
    public var id: String
    /// The series, for an occurrence.
    public var seriesId: Int64?
    /// The details.
    public var details: MeetingDetails
    /// Start (UTC).
    public var start: Date
    /// End (UTC).
    public var end: Date
    /// State.
    public var state: MeetingState
    /// The halls resolved from the selection.
    public var hallIds: [String]

    /// Creates a meeting.
    public init(id: String, seriesId: Int64? = nil, details: MeetingDetails, start: Date, end: Date, state: MeetingState, hallIds: [String]) {
        self.id = id
        self.seriesId = seriesId
        self.details = details
        self.start = start
        self.end = end
        self.state = state
        self.hallIds = hallIds
    }

    /// When the halls are taken: from the rehearsal to the end.
    public var window: Window { Window(start: start.addingTimeInterval(-Double(details.rehearsalMinutes) * 60), end: end) }

    /// What the conflict rules need of this meeting.
    public var occupancy: Occupancy {
        Occupancy(meetingId: id, title: details.title, window: window, hallIds: Set(hallIds), bitrateKbps: details.bitrateKbps)
    }
}

/// A half-open interval of time [start, end): touching intervals do not overlap.
public struct Window: Sendable, Hashable, Codable {
    /// Start, inclusive.
    public var start: Date
    /// End, exclusive.
    public var end: Date

    /// Creates a window.
    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// The common part, or `nil` when they do not overlap.
    public func intersection(_ other: Window) -> Window? {
        let start = max(self.start, other.start), end = min(self.end, other.end)
        return start < end ? Window(start: start, end: end) : nil
    }
}

/// What a meeting takes while it runs: its halls, the links and relay nodes on their way.
public struct Occupancy: Sendable, Hashable {
    /// The meeting's id.
    public var meetingId: String
    /// Its title, to name it in a conflict.
    public var title: String
    /// Rehearsal start to end.
    public var window: Window
    /// Its halls.
    public var hallIds: Set<String>
    /// Its stream bitrate.
    public var bitrateKbps: Int

    /// Creates an occupancy.
    public init(meetingId: String, title: String, window: Window, hallIds: Set<String>, bitrateKbps: Int) {
        self.meetingId = meetingId
        self.title = title
        self.window = window
        self.hallIds = hallIds
        self.bitrateKbps = bitrateKbps
    }
}
