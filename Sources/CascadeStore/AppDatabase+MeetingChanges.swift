import CascadeCore
import Foundation
import GRDB

/// Which occurrences of a series a change or cancellation touches.
public enum ChangeScope: String, Sendable, Codable, CaseIterable {
    /// Only this occurrence.
    case occurrence
    /// This occurrence and every later one (the series is split).
    case following
    /// Every occurrence.
    case series
}

/// The new state of a meeting after a change, already validated.
public struct MeetingChange: Sendable {
    /// The new details.
    public var details: MeetingDetails
    /// The halls they resolve to.
    public var hallIds: [String]
    /// The new start.
    public var start: Date
    /// The new end.
    public var end: Date
    /// The new state.
    public var state: MeetingState

    /// Creates a change.
    public init(details: MeetingDetails, hallIds: [String], start: Date, end: Date, state: MeetingState) {
        self.details = details
        self.hallIds = hallIds
        self.start = start
        self.end = end
        self.state = state
    }
}

extension AppDatabase {
    /// Applies a change to a single meeting or to a series occurrence (with its scope), re-checking
    /// conflicts; returns the changed meeting. Throws ``BookingRefusal`` on conflict, writing nothing.
    public func changeMeeting(_ reference: MeetingReference, scope: ChangeScope, to change: MeetingChange, actor: String, context: BookingContext) throws -> Meeting {
        try writer.write { db in
            let changed = try applyChange(reference, scope: scope, to: change, actor: actor, context: context, db: db)
            try Self.refreshArchive(after: reference, changed: changed.id, db: db)
            return changed
        }
    }

    /// Search rows follow a changed meeting (and the other occurrences of its series).
    private static func refreshArchive(after reference: MeetingReference, changed: String?, db: Database) throws {
        if case .occurrence(let seriesId, _) = reference { try ArchiveIndex.refreshSeries(seriesId, db: db) }
        try ArchiveIndex.refresh(reference.id, db: db)
        if let changed, changed != reference.id { try ArchiveIndex.refresh(changed, db: db) }
    }

    private func applyChange(_ reference: MeetingReference, scope: ChangeScope, to change: MeetingChange, actor: String, context: BookingContext,
                             db: Database) throws -> Meeting {
        guard let current = try Self.meeting(reference, db: db) else { throw StoreError(.notFound, "no meeting \(reference)") }
        let description = Self.differences(from: current, to: change)
        switch reference {
        case .single(let id):
            let draft = Meeting(id: current.id, details: change.details, start: change.start, end: change.end, state: change.state, hallIds: change.hallIds)
            if change.state == .booked {
                try refuseConflicts(of: [draft], in: db, context: context) { $0.meetingId == current.id }
            }
            try db.execute(sql: """
                UPDATE meeting SET startAt = ?, endAt = ?, windowStart = ?, state = ?, details = ?, searchText = ?, updatedAt = ? WHERE id = ?
                """, arguments: [change.start, change.end, draft.window.start, change.state.rawValue,
                                 String(decoding: try JSONEncoder().encode(change.details), as: UTF8.self), change.details.searchText, Date(), id])
            try insertMeetingHalls(change.hallIds, meetingId: id, window: draft.window, db: db)
            try AuditEntryRecord.append(db, actor: actor, action: "meeting.changed", target: current.id, details: description)
            return draft
        case .occurrence(let seriesId, let date):
            guard var series = try Self.loadSeries(db, where: "id = ?", [seriesId]).first else { throw StoreError(.notFound, "no series s\(seriesId)") }
            switch scope {
            case .occurrence:
                var draft = current
                draft.start = change.start
                draft.end = change.end
                try refuseConflicts(of: [draft], in: db, context: context) { $0.meetingId == current.id }
                try SeriesExceptionRecord(seriesId: seriesId, occurrenceDate: date.description, kind: "moved", startAt: change.start, endAt: change.end).upsert(db)
                try AuditEntryRecord.append(db, actor: actor, action: "occurrence.moved", target: current.id, details: description)
                return draft
            case .following:
                let successor = try split(&series, at: date, into: change, db: db, context: context)
                try AuditEntryRecord.append(db, actor: actor, action: "series.split", target: current.id,
                                            details: "from \(date) on as s\(successor.id): \(description)")
                return successor.occurrences(overlapping: Window(start: change.start.addingTimeInterval(-86400), end: change.end.addingTimeInterval(86400))).first ?? current
            case .series:
                let (startDate, startTime) = Zone(series.zone).local(change.start)
                let shift = startDate.dayNumber - date.dayNumber
                series.details = change.details
                series.hallIds = change.hallIds
                series.startTime = startTime
                series.durationMinutes = Int(change.end.timeIntervalSince(change.start) / 60)
                series.firstDate = series.firstDate.adding(days: shift)
                try refuseConflicts(of: checkedOccurrences(of: series, context: context), in: db, context: context) { $0.meetingId.hasPrefix("s\(seriesId)-") }
                try save(series, db: db)
                try AuditEntryRecord.append(db, actor: actor, action: "series.changed", target: "s\(seriesId)", details: description)
                return series.occurrence(on: date.adding(days: shift)) ?? current
            }
        }
    }

    /// Cancels a meeting, an occurrence, an occurrence and the ones after it, or a whole series.
    public func cancelMeeting(_ reference: MeetingReference, scope: ChangeScope, actor: String) throws {
        try writer.write { db in
            guard let current = try Self.meeting(reference, db: db) else { throw StoreError(.notFound, "no meeting \(reference)") }
            switch reference {
            case .single(let id):
                try db.execute(sql: "UPDATE meeting SET state = 'cancelled', updatedAt = ? WHERE id = ?", arguments: [Date(), id])
                try AuditEntryRecord.append(db, actor: actor, action: "meeting.cancelled", target: current.id, details: current.details.title)
            case .occurrence(let seriesId, let date):
                guard var series = try Self.loadSeries(db, where: "id = ?", [seriesId]).first else { throw StoreError(.notFound, "no series s\(seriesId)") }
                switch scope {
                case .occurrence:
                    try SeriesExceptionRecord(seriesId: seriesId, occurrenceDate: date.description, kind: "cancelled").upsert(db)
                case .following where date > series.firstDate:
                    try end(&series, before: date, db: db)
                case .following, .series:
                    try db.execute(sql: "UPDATE series SET state = 'cancelled', updatedAt = ? WHERE id = ?", arguments: [Date(), seriesId])
                }
                try AuditEntryRecord.append(db, actor: actor, action: "\(scope == .occurrence ? "occurrence" : "series").cancelled",
                                            target: current.id, details: "\(current.details.title) (scope \(scope.rawValue))")
            }
            try Self.refreshArchive(after: reference, changed: nil, db: db)
        }
    }

    /// Re-resolves "all halls of unit X" selections of meetings still to come after the tree changed.
    func reresolveHallSelections(_ tree: UnitTree, db: Database) throws {
        for meeting in try Self.singles(db, where: "endAt > ? AND state = 'booked'", [Date()]) where meeting.details.halls.subtreeUnitId != nil {
            guard case .single(let id)? = MeetingReference(meeting.id) else { continue }
            try insertMeetingHalls(meeting.details.halls.resolve(in: tree), meetingId: id, window: meeting.window, db: db)
        }
        for series in try Self.loadSeries(db, where: "state = 'booked'", []) where series.details.halls.subtreeUnitId != nil {
            try insertSeriesHalls(series.details.halls.resolve(in: tree), seriesId: series.id, db: db)
        }
    }

    private func split(_ series: inout Series, at date: LocalDate, into change: MeetingChange, db: Database, context: BookingContext) throws -> Series {
        let (startDate, startTime) = Zone(series.zone).local(change.start)
        var rule = series.rule
        if let count = rule.count {
            rule.count = max(1, count - series.rule.dates(startingOn: series.firstDate).prefix { $0 < date }.count)
        }
        var successor = Series(
            id: 0, details: change.details, firstDate: startDate, startTime: startTime,
            durationMinutes: Int(change.end.timeIntervalSince(change.start) / 60), zone: series.zone, rule: rule,
            exceptions: startDate == date ? series.exceptions.filter { $0.key > date } : [:], hallIds: change.hallIds
        )
        let oldId = series.id
        try refuseConflicts(of: checkedOccurrences(of: successor, context: context), in: db, context: context) { occupancy in
            guard occupancy.meetingId.hasPrefix("s\(oldId)-"), let day = LocalDate(String(occupancy.meetingId.dropFirst("s\(oldId)-".count))) else { return false }
            return day >= date
        }
        if date > series.firstDate {
            try end(&series, before: date, db: db)
        } else {
            try db.execute(sql: "UPDATE series SET state = 'cancelled', updatedAt = ? WHERE id = ?", arguments: [Date(), oldId])
        }
        let now = Date()
        var record = SeriesRecord(
            id: nil, firstDate: successor.firstDate.description, lastDate: successor.lastDate?.description, startTime: startTime.description,
            durationMinutes: successor.durationMinutes, zone: series.zone.identifier, rule: rule, state: "booked",
            details: change.details, searchText: change.details.searchText, createdBy: "split of s\(oldId)", createdAt: now, updatedAt: now
        )
        try record.insert(db)
        successor.id = record.id!
        try insertSeriesHalls(change.hallIds, seriesId: successor.id, db: db)
        for (day, exception) in successor.exceptions {
            if case .moved(let start, let end) = exception {
                try SeriesExceptionRecord(seriesId: successor.id, occurrenceDate: day.description, kind: "moved", startAt: start, endAt: end).insert(db)
            } else {
                try SeriesExceptionRecord(seriesId: successor.id, occurrenceDate: day.description, kind: "cancelled").insert(db)
            }
        }
        return successor
    }

    /// Ends a series on the day before `date`.
    private func end(_ series: inout Series, before date: LocalDate, db: Database) throws {
        series.rule.count = nil
        series.rule.until = date.adding(days: -1)
        try save(series, db: db)
        try db.execute(sql: "DELETE FROM seriesException WHERE seriesId = ? AND occurrenceDate >= ?", arguments: [series.id, date.description])
    }

    private func save(_ series: Series, db: Database) throws {
        try db.execute(sql: """
            UPDATE series SET firstDate = ?, lastDate = ?, startTime = ?, durationMinutes = ?, rule = ?, details = ?, searchText = ?, updatedAt = ?
            WHERE id = ?
            """, arguments: [
                series.firstDate.description, series.lastDate?.description, series.startTime.description, series.durationMinutes,
                String(decoding: try JSONEncoder().encode(series.rule), as: UTF8.self),
                String(decoding: try JSONEncoder().encode(series.details), as: UTF8.self), series.details.searchText, Date(), series.id,
            ])
        try insertSeriesHalls(series.hallIds, seriesId: series.id, db: db)
    }

    private static func differences(from old: Meeting, to new: MeetingChange) -> String {
        var changes: [String] = []
        if old.details.title != new.details.title { changes.append("title \"\(old.details.title)\" → \"\(new.details.title)\"") }
        if old.start != new.start || old.end != new.end { changes.append("time \(old.start)–\(old.end) → \(new.start)–\(new.end)") }
        if Set(old.hallIds) != Set(new.hallIds) {
            let added = Set(new.hallIds).subtracting(old.hallIds).sorted(), removed = Set(old.hallIds).subtracting(new.hallIds).sorted()
            changes.append("halls +[\(added.joined(separator: ","))] -[\(removed.joined(separator: ","))]")
        }
        if old.details.chair != new.details.chair { changes.append("chair \"\(old.details.chair)\" → \"\(new.details.chair)\"") }
        if old.details.rehearsalMinutes != new.details.rehearsalMinutes { changes.append("rehearsal \(old.details.rehearsalMinutes) → \(new.details.rehearsalMinutes) min") }
        if old.details.isRecorded != new.details.isRecorded { changes.append("recorded \(old.details.isRecorded) → \(new.details.isRecorded)") }
        if old.details.classification != new.details.classification { changes.append("classification \(old.details.classification.rawValue) → \(new.details.classification.rawValue)") }
        if old.details.notes != new.details.notes { changes.append("notes changed") }
        if old.details.bitrateKbps != new.details.bitrateKbps { changes.append("bitrate \(old.details.bitrateKbps) → \(new.details.bitrateKbps) kbit/s") }
        if old.state != new.state { changes.append("state \(old.state.rawValue) → \(new.state.rawValue)") }
        return changes.isEmpty ? "no change" : changes.joined(separator: "; ")
    }
}
