import CascadeCore
import Foundation
import GRDB

extension AppDatabase {
    /// Registers a new recording and returns its id.
    public func createRecording(meetingId: String?, source: String, sourceURI: String, partSeconds: Int, actor: String) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO recording (meetingId, source, sourceURI, state, partSeconds, startedAt, createdBy) VALUES (?, ?, ?, 'recording', ?, ?, ?)
                """, arguments: [meetingId, source, sourceURI, partSeconds, Date(), actor])
            let id = db.lastInsertedRowID
            try AuditEntryRecord.append(db, actor: actor, action: "recording.started", target: "r\(id)", details: source)
            if let meetingId { try ArchiveIndex.refresh(meetingId, db: db) }
            return id
        }
    }

    /// A part opened: it is indexed at once, as "recording", and an open gap before it is closed.
    public func partOpened(recording: Int64, index: Int, at time: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO recordingPart (recordingId, partIndex, fileName, startedAt, state) VALUES (?, ?, ?, ?, 'recording')
                """, arguments: [recording, index, RecordingPart.fileName(index), time])
            try db.execute(sql: "UPDATE recordingGap SET endAt = ? WHERE recordingId = ? AND endAt IS NULL", arguments: [time, recording])
        }
    }

    /// A part closed or was repaired: its measured facts and final state.
    public func partFinished(recording: Int64, part: RecordingPart) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO recordingPart (recordingId, partIndex, fileName, startedAt, durationSeconds, bytes, videoCodec, audioCodec, width, height, sha256, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (recordingId, partIndex) DO UPDATE SET durationSeconds = excluded.durationSeconds, bytes = excluded.bytes,
                  videoCodec = excluded.videoCodec, audioCodec = excluded.audioCodec, width = excluded.width, height = excluded.height,
                  sha256 = excluded.sha256, state = excluded.state
                """, arguments: [recording, part.index, part.fileName, part.startedAt, part.durationSeconds, part.bytes, part.videoCodec,
                                 part.audioCodec, part.width, part.height, part.sha256, part.state.rawValue])
        }
    }

    /// Opens a gap (media stopped) unless one is already open.
    public func openGap(recording: Int64, at time: Date, reason: String) throws(StoreError) {
        try write { db in
            let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM recordingGap WHERE recordingId = ? AND endAt IS NULL", arguments: [recording]) ?? 0
            if open == 0 {
                try db.execute(sql: "INSERT INTO recordingGap (recordingId, startAt, reason) VALUES (?, ?, ?)", arguments: [recording, time, reason])
            }
        }
    }

    /// Ends a recording (stopped or failed), closing any part still marked recording as `partial`.
    public func finishRecording(_ id: Int64, state: Recording.State, reason: String?, actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE recording SET state = ?, stoppedAt = ?, reason = ? WHERE id = ?", arguments: [state.rawValue, Date(), reason, id])
            try db.execute(sql: "UPDATE recordingGap SET endAt = ? WHERE recordingId = ? AND endAt IS NULL", arguments: [Date(), id])
            try AuditEntryRecord.append(db, actor: actor, action: "recording.\(state.rawValue)", target: "r\(id)", details: reason)
            if let meetingId = try String.fetchOne(db, sql: "SELECT meetingId FROM recording WHERE id = ?", arguments: [id]) {
                try ArchiveIndex.refresh(meetingId, db: db)
            }
        }
    }

    /// One recording with its parts and gaps.
    public func recording(_ id: Int64) throws(StoreError) -> Recording? {
        try read { db in try Self.loadRecordings(db, where: "id = ?", [id]).first }
    }

    /// Every recording, newest first.
    public func recordings() throws(StoreError) -> [Recording] {
        try read { db in try Self.loadRecordings(db, where: "1", []).reversed() }
    }

    /// At most `limit` recordings older than `before` (by id), newest first: a page of the list.
    public func recordings(before: Int64?, limit: Int) throws(StoreError) -> [Recording] {
        try read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM recording WHERE id < ? ORDER BY id DESC LIMIT ?", arguments: [before ?? Int64.max, limit])
            guard let oldest = ids.last, let newest = ids.first else { return [] }
            return try Self.loadRecordings(db, where: "id BETWEEN ? AND ?", [oldest, newest]).reversed()
        }
    }

    /// Recordings still marked recording, with the source to resume them from.
    public func activeRecordings() throws(StoreError) -> [(recording: Recording, sourceURI: String)] {
        try read { db in
            try Self.loadRecordings(db, where: "state = 'recording'", []).map { recording in
                (recording, try String.fetchOne(db, sql: "SELECT sourceURI FROM recording WHERE id = ?", arguments: [recording.id]) ?? "")
            }
        }
    }

    static func loadRecordings(_ db: Database, where condition: String, _ arguments: StatementArguments) throws -> [Recording] {
        try Row.fetchAll(db, sql: "SELECT * FROM recording WHERE \(condition) ORDER BY id", arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let parts = try Row.fetchAll(db, sql: "SELECT * FROM recordingPart WHERE recordingId = ? ORDER BY partIndex", arguments: [id]).map { part in
                RecordingPart(
                    index: part["partIndex"], fileName: part["fileName"], startedAt: part["startedAt"], durationSeconds: part["durationSeconds"],
                    bytes: part["bytes"], videoCodec: part["videoCodec"], audioCodec: part["audioCodec"], width: part["width"], height: part["height"],
                    sha256: part["sha256"], state: RecordingPart.State(rawValue: part["state"]) ?? .corrupt
                )
            }
            let gaps = try Row.fetchAll(db, sql: "SELECT * FROM recordingGap WHERE recordingId = ? ORDER BY id", arguments: [id]).map { gap in
                RecordingGap(start: gap["startAt"], end: gap["endAt"], reason: gap["reason"])
            }
            return Recording(
                id: id, meetingId: row["meetingId"], source: row["source"], state: Recording.State(rawValue: row["state"]) ?? .failed,
                partSeconds: row["partSeconds"], startedAt: row["startedAt"], stoppedAt: row["stoppedAt"], reason: row["reason"], parts: parts, gaps: gaps,
                deletedAt: row["deletedAt"]
            )
        }
    }
}
