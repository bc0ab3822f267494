import CascadeCore
import Foundation
import GRDB

/// Keeps the search rows of a meeting (`archiveEntry` and its folded text in `archiveSearch`) in step
/// with the meeting, its latest minutes and its recordings. Every write that changes one of them
/// refreshes the meeting's rows in the same transaction.
enum ArchiveIndex {
    /// Rewrites the rows of `meetingId`, or removes them when the meeting no longer exists.
    static func refresh(_ meetingId: String, db: Database) throws {
        let existing = try Int64.fetchOne(db, sql: "SELECT id FROM archiveEntry WHERE meetingId = ?", arguments: [meetingId])
        guard let reference = MeetingReference(meetingId), let meeting = try AppDatabase.meeting(reference, db: db) else {
            if let existing {
                try db.execute(sql: "DELETE FROM archiveSearch WHERE rowid = ?", arguments: [existing])
                try db.execute(sql: "DELETE FROM archiveEntry WHERE id = ?", arguments: [existing])
            }
            return
        }
        let content = try AppDatabase.latestMinutes(meetingId, db: db)?.content ?? MinutesContent()
        let recorded = try Double.fetchOne(db, sql: """
            SELECT sum(p.durationSeconds) FROM recordingPart p JOIN recording r ON r.id = p.recordingId
            WHERE r.meetingId = ? AND r.deletedAt IS NULL AND p.state IN ('complete', 'partial', 'recording')
            """, arguments: [meetingId])
        let recordings = try Int.fetchOne(db, sql: "SELECT count(*) FROM recording WHERE meetingId = ? AND deletedAt IS NULL", arguments: [meetingId]) ?? 0
        let hallUnits = try String.fetchAll(db, sql: "SELECT DISTINCT unitId FROM hall WHERE id IN (SELECT value FROM json_each(?))",
                                            arguments: [json(meeting.hallIds)])
        let arguments: StatementArguments = [meetingId, meeting.start, meeting.end, meeting.details.title, meeting.details.organiserUnitId,
                                             meeting.details.classification.rawValue, json(meeting.hallIds), json(hallUnits), recordings > 0,
                                             recorded ?? 0, meeting.state.rawValue, json(content.documents.map(\.number))]
        let id: Int64
        if let existing {
            try db.execute(sql: """
                UPDATE archiveEntry SET meetingId = ?, startAt = ?, endAt = ?, title = ?, organiserUnitId = ?, classification = ?, hallIds = ?,
                  hallUnitIds = ?, hasRecording = ?, recordedSeconds = ?, state = ?, documentNumbers = ? WHERE id = \(existing)
                """, arguments: arguments)
            try db.execute(sql: "DELETE FROM archiveSearch WHERE rowid = ?", arguments: [existing])
            id = existing
        } else {
            try db.execute(sql: """
                INSERT INTO archiveEntry (meetingId, startAt, endAt, title, organiserUnitId, classification, hallIds, hallUnitIds, hasRecording,
                  recordedSeconds, state, documentNumbers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: arguments)
            id = db.lastInsertedRowID
        }
        let fields = content.searchFields
        let chair = content.chair.isEmpty ? meeting.details.chair : content.chair
        try db.execute(sql: "INSERT INTO archiveSearch (rowid, title, people, agenda, conclusions, documents, notes) VALUES (?, ?, ?, ?, ?, ?, ?)",
                       arguments: [id, VietnameseFolding.fold(meeting.details.title), VietnameseFolding.fold(chair) + " " + fields.people,
                                   fields.agenda, fields.conclusions, fields.documents,
                                   VietnameseFolding.fold(meeting.details.notes) + "\n" + fields.notes])
    }

    /// Indexes every single meeting and every occurrence that has minutes, a recording or a run.
    static func rebuild(_ db: Database) throws {
        let ids = try String.fetchAll(db, sql: """
            SELECT 'm' || id FROM meeting
            UNION SELECT meetingId FROM recording WHERE meetingId IS NOT NULL
            UNION SELECT meetingId FROM meetingRun
            UNION SELECT meetingId FROM minutesVersion
            """)
        for id in ids { try refresh(id, db: db) }
    }

    /// Refreshes every indexed occurrence of series `seriesId` (after a change to the series).
    static func refreshSeries(_ seriesId: Int64, db: Database) throws {
        for id in try String.fetchAll(db, sql: "SELECT meetingId FROM archiveEntry WHERE meetingId LIKE ?", arguments: ["s\(seriesId)-%"]) {
            try refresh(id, db: db)
        }
    }

    static func json(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
