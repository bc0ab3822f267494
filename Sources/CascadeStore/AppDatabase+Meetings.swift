import CascadeCore
import Foundation
import GRDB

/// A booking refused because of conflicts; nothing was written.
public struct BookingRefusal: Error, Sendable {
    /// Every conflict found.
    public var conflicts: [Conflict]
    /// Up to three free slots of the same length for the same halls.
    public var suggestions: [Window]
}

/// What a booking is checked against: the tree, the rules, the clock.
public struct BookingContext: Sendable {
    /// Conflict rules over the tree.
    public var checker: ConflictChecker
    /// Limits.
    public var rules: BookingRules
    /// The zone for working hours of suggestions.
    public var zone: Zone
    /// Now.
    public var now: Date

    /// Creates a context.
    public init(checker: ConflictChecker, rules: BookingRules, zone: Zone, now: Date = Date()) {
        self.checker = checker
        self.rules = rules
        self.zone = zone
        self.now = now
    }
}

extension AppDatabase {
    /// Books a single meeting after checking every conflict, in one transaction: two clients racing for
    /// the same hall cannot both succeed. Throws ``BookingRefusal`` when anything conflicts.
    public func bookMeeting(_ details: MeetingDetails, hallIds: [String], start: Date, end: Date, actor: String, context: BookingContext) throws -> Meeting {
        try writer.write { db in
            let draft = Meeting(id: "new", details: details, start: start, end: end, state: .booked, hallIds: hallIds)
            try refuseConflicts(of: [draft], in: db, context: context)
            let now = Date()
            var record = MeetingRecord(
                id: nil, startAt: start, endAt: end, windowStart: draft.window.start, state: MeetingState.booked.rawValue,
                details: details, searchText: details.searchText, createdBy: actor, createdAt: now, updatedAt: now
            )
            try record.insert(db)
            try insertMeetingHalls(hallIds, meetingId: record.id!, window: draft.window, db: db)
            let meeting = record.meeting(hallIds: hallIds)
            try AuditEntryRecord.append(db, actor: actor, action: "meeting.booked", target: meeting.id,
                                        details: "\(details.title); \(start) – \(end); \(hallIds.count) halls")
            try ArchiveIndex.refresh(meeting.id, db: db)
            return meeting
        }
    }

    /// Books a series after checking the conflicts of its occurrences (up to the rules' horizon for a
    /// series without end). Throws ``BookingRefusal`` when anything conflicts.
    public func bookSeries(
        _ details: MeetingDetails, hallIds: [String], firstDate: LocalDate, startTime: LocalTime, durationMinutes: Int,
        zone: TimeZone, rule: Recurrence, actor: String, context: BookingContext
    ) throws -> Series {
        try writer.write { db in
            var series = Series(id: 0, details: details, firstDate: firstDate, startTime: startTime, durationMinutes: durationMinutes,
                                zone: zone, rule: rule, hallIds: hallIds)
            try refuseConflicts(of: checkedOccurrences(of: series, context: context), in: db, context: context)
            let now = Date()
            var record = SeriesRecord(
                id: nil, firstDate: firstDate.description, lastDate: series.lastDate?.description, startTime: startTime.description,
                durationMinutes: durationMinutes, zone: zone.identifier, rule: rule, state: MeetingState.booked.rawValue,
                details: details, searchText: details.searchText, createdBy: actor, createdAt: now, updatedAt: now
            )
            try record.insert(db)
            series.id = record.id!
            try insertSeriesHalls(hallIds, seriesId: series.id, db: db)
            try AuditEntryRecord.append(db, actor: actor, action: "series.booked", target: "s\(series.id)",
                                        details: "\(details.title); \(rule.frequency.rawValue) from \(firstDate) \(startTime); \(hallIds.count) halls")
            return series
        }
    }

    /// What booking this meeting would run into, without booking it: `nil` when it is free, otherwise
    /// the conflicts and suggestions ``bookMeeting(_:hallIds:start:end:actor:context:)`` would refuse with.
    public func bookingRefusal(_ details: MeetingDetails, hallIds: [String], start: Date, end: Date, context: BookingContext) throws -> BookingRefusal? {
        let draft = Meeting(id: "new", details: details, start: start, end: end, state: .booked, hallIds: hallIds)
        return try refusal(of: [draft], context: context)
    }

    /// What booking this series would run into, without booking it (see ``bookingRefusal(_:hallIds:start:end:context:)``).
    public func bookingRefusal(
        _ details: MeetingDetails, hallIds: [String], firstDate: LocalDate, startTime: LocalTime, durationMinutes: Int,
        zone: TimeZone, rule: Recurrence, context: BookingContext
    ) throws -> BookingRefusal? {
        let series = Series(id: 0, details: details, firstDate: firstDate, startTime: startTime, durationMinutes: durationMinutes,
                            zone: zone, rule: rule, hallIds: hallIds)
        return try refusal(of: checkedOccurrences(of: series, context: context), context: context)
    }

    private func refusal(of drafts: [Meeting], context: BookingContext) throws -> BookingRefusal? {
        try writer.read { db in
            do {
                try refuseConflicts(of: drafts, in: db, context: context)
                return nil
            } catch let refusal as BookingRefusal {
                return refusal
            }
        }
    }

    /// The meeting or occurrence with this id.
    public func meeting(_ reference: MeetingReference) throws -> Meeting? {
        try writer.read { db in try Self.meeting(reference, db: db) }
    }

    /// The series with this id.
    public func series(_ id: Int64) throws -> Series? {
        try writer.read { db in try Self.loadSeries(db, where: "id = ?", [id]).first }
    }

    /// Meetings and occurrences whose time [start, end) overlaps `range`, in time order, cancelled ones
    /// only when `includeCancelled`.
    /// `hallIds` limits the result to meetings in any of those halls.
    public func meetings(overlapping range: Window, inHalls hallIds: Set<String>? = nil, includeCancelled: Bool = false, maximumSpan: TimeInterval) throws -> [Meeting] {
        try writer.read { db in
            try Self.meetings(overlapping: range, inHalls: hallIds, db: db, maximumSpan: maximumSpan)
                .filter { (includeCancelled || $0.state != .cancelled) && Window(start: $0.start, end: $0.end).intersection(range) != nil }
        }
    }

    /// What the booked meetings take during `range` (rehearsal windows included).
    public func occupancies(overlapping range: Window, maximumSpan: TimeInterval) throws -> [Occupancy] {
        try writer.read { db in try Self.occupancies(overlapping: range, db: db, maximumSpan: maximumSpan) }
    }

    // MARK: - Shared by the writes

    func refuseConflicts(of drafts: [Meeting], in db: Database, context: BookingContext, ignoring ignored: (Occupancy) -> Bool = { _ in false }) throws {
        guard let first = drafts.first else { return }
        let span = context.rules.maximumDuration + 4 * 3600
        var conflicts: [Conflict] = []
        let relevant = context.checker.relevantHalls(of: first.occupancy)
        for draft in drafts where conflicts.count < 100 {
            let existing = try Self.occupancies(overlapping: draft.window, inHalls: relevant, db: db, maximumSpan: span).filter { !ignored($0) }
            conflicts += context.checker.conflicts(of: draft.occupancy, against: existing)
        }
        guard !conflicts.isEmpty else { return }
        let firstConflicting = drafts.first { draft in conflicts.contains { $0.meetingId == draft.id } } ?? first
        let horizon = Window(start: firstConflicting.window.start, end: firstConflicting.end.addingTimeInterval(15 * 24 * 3600))
        let existing = try Self.occupancies(overlapping: horizon, inHalls: relevant, db: db, maximumSpan: span).filter { !ignored($0) }
        let suggestions = SlotFinder(checker: context.checker, zone: context.zone).suggestions(for: firstConflicting, against: existing)
        throw BookingRefusal(conflicts: conflicts, suggestions: suggestions)
    }

    func checkedOccurrences(of series: Series, context: BookingContext) -> [Meeting] {
        let end = series.lastDate.map { Zone(series.zone).instant($0.adding(days: 1), series.startTime) }
            ?? context.now.addingTimeInterval(context.rules.seriesCheckHorizon)
        let range = Window(start: context.now, end: max(end, context.now.addingTimeInterval(1)))
        return series.occurrences(overlapping: range).filter { $0.state == .booked && $0.start >= context.now }
    }

    func insertMeetingHalls(_ hallIds: [String], meetingId: Int64, window: Window, db: Database) throws {
        try db.execute(sql: "DELETE FROM meetingHall WHERE meetingId = ?", arguments: [meetingId])
        for hallId in hallIds {
            try db.execute(sql: "INSERT INTO meetingHall (meetingId, hallId, windowStart, endAt) VALUES (?, ?, ?, ?)",
                           arguments: [meetingId, hallId, window.start, window.end])
        }
    }

    func insertSeriesHalls(_ hallIds: [String], seriesId: Int64, db: Database) throws {
        try db.execute(sql: "DELETE FROM seriesHall WHERE seriesId = ?", arguments: [seriesId])
        for hallId in hallIds {
            try db.execute(sql: "INSERT INTO seriesHall (seriesId, hallId) VALUES (?, ?)", arguments: [seriesId, hallId])
        }
    }

    // MARK: - Reads

    static func meeting(_ reference: MeetingReference, db: Database) throws -> Meeting? {
        switch reference {
        case .single(let id):
            return try singles(db, where: "meeting.id = ?", [id]).first
        case .occurrence(let seriesId, let date):
            return try loadSeries(db, where: "id = ?", [seriesId]).first?.occurrence(on: date)
        }
    }

    static func meetings(overlapping range: Window, inHalls hallIds: Set<String>? = nil, db: Database, maximumSpan: TimeInterval) throws -> [Meeting] {
        // A meeting's window is at most `maximumSpan` long, so the range is an index range on windowStart:
        // over all meetings, or per hall through meetingHall's (hallId, windowStart) index.
        let bounds: [any DatabaseValueConvertible] = [range.start.addingTimeInterval(-maximumSpan), range.end, range.start]
        var condition = "windowStart >= ? AND windowStart < ? AND endAt > ?"
        var arguments = bounds
        var index: String? = "meeting_on_windowStart"
        var seriesCondition = "firstDate <= ? AND (lastDate IS NULL OR lastDate >= ?)"
        let firstDay = LocalDate(dayNumber: Int((range.start.timeIntervalSince1970 / 86400).rounded(.down)) - 2)
        let lastDay = LocalDate(dayNumber: Int((range.end.timeIntervalSince1970 / 86400).rounded(.down)) + 2)
        var seriesArguments: [any DatabaseValueConvertible] = [lastDay.description, firstDay.description]
        if let hallIds {
            let marks = Array(repeating: "?", count: hallIds.count).joined(separator: ",")
            condition = "id IN (SELECT meetingId FROM meetingHall WHERE hallId IN (\(marks)) AND windowStart >= ? AND windowStart < ? AND endAt > ?)"
            arguments = hallIds.sorted() as [any DatabaseValueConvertible] + bounds
            index = nil
            seriesCondition += " AND EXISTS (SELECT 1 FROM seriesHall WHERE seriesId = series.id AND +hallId IN (\(marks)))"
            seriesArguments += hallIds.sorted() as [any DatabaseValueConvertible]
        }
        let singles = try singles(db, indexedBy: index, where: condition, StatementArguments(arguments))
        let series = try loadSeries(db, where: seriesCondition, StatementArguments(seriesArguments))
        return (singles + series.flatMap { $0.occurrences(overlapping: range) }).sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    static func occupancies(overlapping range: Window, inHalls hallIds: Set<String>? = nil, db: Database, maximumSpan: TimeInterval) throws -> [Occupancy] {
        try meetings(overlapping: range, inHalls: hallIds, db: db, maximumSpan: maximumSpan).filter { $0.state == .booked }.map(\.occupancy)
    }

    static func singles(_ db: Database, indexedBy index: String? = nil, where condition: String, _ arguments: StatementArguments) throws -> [Meeting] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT meeting.*, (SELECT group_concat(hallId, ',') FROM meetingHall WHERE meetingId = meeting.id) AS hallList
            FROM meeting \(index.map { "INDEXED BY \($0)" } ?? "") WHERE \(condition)
            """, arguments: arguments)
        return try rows.map { row in
            let record = try MeetingRecord(row: row)
            let halls = (row["hallList"] as String?)?.split(separator: ",").map(String.init) ?? []
            return record.meeting(hallIds: halls)
        }
    }

    static func loadSeries(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Series] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT series.*, (SELECT group_concat(hallId, ',') FROM seriesHall WHERE seriesId = series.id) AS hallList
            FROM series WHERE \(condition)
            """, arguments: arguments)
        return try rows.compactMap { row in
            let record = try SeriesRecord(row: row)
            guard let id = record.id, let first = LocalDate(record.firstDate), let zone = TimeZone(identifier: record.zone) else { return nil }
            let timeParts = record.startTime.split(separator: ":").compactMap { Int($0) }
            guard timeParts.count == 2, let time = LocalTime(hour: timeParts[0], minute: timeParts[1]) else { return nil }
            var exceptions: [LocalDate: SeriesException] = [:]
            for exception in try SeriesExceptionRecord.filter(Column("seriesId") == id).fetchAll(db) {
                guard let date = LocalDate(exception.occurrenceDate) else { continue }
                if exception.kind == "moved", let start = exception.startAt, let end = exception.endAt {
                    exceptions[date] = .moved(start: start, end: end)
                } else {
                    exceptions[date] = .cancelled
                }
            }
            return Series(
                id: id, details: record.details, firstDate: first, startTime: time, durationMinutes: record.durationMinutes,
                zone: zone, rule: record.rule, exceptions: exceptions, isCancelled: record.state == "cancelled",
                hallIds: (row["hallList"] as String?)?.split(separator: ",").map(String.init) ?? []
            )
        }
    }
}
