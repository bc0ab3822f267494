import Foundation

/// Suggests free slots of the same length for the same halls when a booking conflicts.
public struct SlotFinder: Sendable {
    /// The conflict rules.
    public let checker: ConflictChecker
    /// The zone whose working hours apply.
    public let zone: Zone
    /// Earliest local start of a suggested meeting.
    public var earliest = LocalTime(hour: 7, minute: 0)!
    /// Latest local end of a suggested meeting.
    public var latest = LocalTime(hour: 18, minute: 0)!
    /// Step between tried starts.
    public var step: TimeInterval = 30 * 60
    /// How far ahead to look.
    public var horizon: TimeInterval = 14 * 24 * 3600

    /// Creates a finder.
    public init(checker: ConflictChecker, zone: Zone) {
        self.checker = checker
        self.zone = zone
    }

    /// Up to `limit` meeting starts after the requested one, within working hours (Monday to Saturday),
    /// where the same halls are free and no link or node is over its limit. `existing` must cover the horizon.
    public func suggestions(for meeting: Meeting, against existing: [Occupancy], limit: Int = 3) -> [Window] {
        let duration = meeting.end.timeIntervalSince(meeting.start)
        var found: [Window] = []
        let shape = checker.shape(of: meeting.occupancy)
        var offset = step
        while offset <= horizon && found.count < limit {
            defer { offset += step }
            var moved = meeting
            moved.start = meeting.start.addingTimeInterval(offset)
            moved.end = moved.start.addingTimeInterval(duration)
            let (startDate, startTime) = zone.local(moved.start)
            let (endDate, endTime) = zone.local(moved.end)
            guard startDate.weekday != 7, startDate == endDate,
                  startTime.minutesOfDay >= earliest.minutesOfDay, endTime.minutesOfDay <= latest.minutesOfDay else { continue }
            if checker.conflicts(of: moved.occupancy, shaped: shape, against: existing).isEmpty {
                found.append(Window(start: moved.start, end: moved.end))
            }
        }
        return found
    }
}
