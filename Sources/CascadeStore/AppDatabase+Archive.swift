import CascadeCore
import Foundation
import GRDB

/// What a search asks for. Every filter is optional; `query` is folded before matching.
public struct ArchiveQuery: Sendable, Equatable {
    /// Words typed, with or without diacritics; every word must match (the last one as a prefix).
    public var text = ""
    /// Meetings starting at or after.
    public var from: Date?
    /// Meetings starting before.
    public var to: Date?
    /// Only meetings that involve one of these units (organiser or a hall's unit); `nil` for all.
    public var units: Set<String>?
    /// Only meetings held in this hall.
    public var hallId: String?
    /// Only this classification.
    public var classification: Classification?
    /// Only meetings with (or without) a recording.
    public var hasRecording: Bool?
    /// Which page, from 1.
    public var page = 1
    /// Results per page.
    public var perPage = 20

    /// Creates an empty query.
    public init() {}
}

/// One meeting found.
public struct ArchiveHit: Sendable, Equatable, Codable {
    /// The meeting id.
    public var id: String
    /// Its title.
    public var title: String
    /// When it starts and ends.
    public var start: Date
    public var end: Date
    /// The organiser unit.
    public var organiserUnitId: String
    /// Its classification.
    public var classification: Classification
    /// Its halls.
    public var hallIds: [String]
    /// Whether anything of it is recorded, and how much.
    public var hasRecording: Bool
    public var recordedSeconds: Double
    /// Whether a recording of it is being written now (its length then grows; the finished parts count).
    public var isRecording: Bool
    /// The numbers of the documents it issued.
    public var documentNumbers: [String]
    /// booked, held or cancelled.
    public var state: String
}

/// A page of search results.
public struct ArchivePage: Sendable, Equatable, Codable {
    /// The hits, best first (or newest first without words).
    public var results: [ArchiveHit]
    /// How many meetings match in all.
    public var total: Int
    /// This page and its size.
    public var page: Int
    public var perPage: Int
}

/// A file attached to a meeting's minutes.
public struct Attachment: Sendable, Equatable, Codable {
    public var id: Int64
    public var meetingId: String
    /// The name it was uploaded with (shown and offered as the download name, never used as a path).
    public var name: String
    public var mediaType: String
    public var bytes: Int64
    public var sha256: String
    /// The server-chosen file name in the attachments directory.
    public var storedName: String
    public var uploadedBy: String
    public var uploadedAt: Date

    /// Creates one.
    public init(id: Int64, meetingId: String, name: String, mediaType: String, bytes: Int64, sha256: String, storedName: String,
                uploadedBy: String, uploadedAt: Date) {
        self.id = id
        self.meetingId = meetingId
        self.name = name
        self.mediaType = mediaType
        self.bytes = bytes
        self.sha256 = sha256
        self.storedName = storedName
        self.uploadedBy = uploadedBy
        self.uploadedAt = uploadedAt
    }
}

/// A meeting kept from deletion.
public struct LegalHold: Sendable, Equatable, Codable {
    public var meetingId: String
    public var reason: String
    public var heldBy: String
    public var heldAt: Date
}

extension AppDatabase {
    // MARK: - Search

    /// Meetings matching `query`, ranked by BM25 over title, people, agenda, conclusions, documents and notes.
    public func search(_ query: ArchiveQuery) throws(StoreError) -> ArchivePage {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            let words = VietnameseFolding.fold(query.text).split { !$0.isLetter && !$0.isNumber }.map(String.init)
            if !words.isEmpty {
                let match = words.enumerated().map { index, word in "\"\(word)\"" + (index == words.count - 1 ? "*" : "") }.joined(separator: " ")
                conditions.append("archiveSearch MATCH ?")
                arguments += [match]
            }
            if let from = query.from { conditions.append("e.startAt >= ?"); arguments += [from] }
            if let to = query.to { conditions.append("e.startAt < ?"); arguments += [to] }
            if let units = query.units {
                let list = ArchiveIndex.json(units.sorted())
                conditions.append("(e.organiserUnitId IN (SELECT value FROM json_each(?)) OR EXISTS (SELECT 1 FROM json_each(e.hallUnitIds) h WHERE h.value IN (SELECT value FROM json_each(?))))")
                arguments += [list, list]
            }
            if let hall = query.hallId { conditions.append("EXISTS (SELECT 1 FROM json_each(e.hallIds) h WHERE h.value = ?)"); arguments += [hall] }
            if let classification = query.classification { conditions.append("e.classification = ?"); arguments += [classification.rawValue] }
            if let hasRecording = query.hasRecording { conditions.append("e.hasRecording = ?"); arguments += [hasRecording] }
            let from = words.isEmpty ? "archiveEntry e" : "archiveSearch JOIN archiveEntry e ON e.id = archiveSearch.rowid"
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let order = words.isEmpty ? "e.startAt DESC" : "bm25(archiveSearch, 10.0, 4.0, 3.0, 3.0, 8.0, 1.0), e.startAt DESC"
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(from) \(filter)", arguments: arguments) ?? 0
            let perPage = min(max(query.perPage, 1), 100), page = max(query.page, 1)
            let recordingNow = "EXISTS (SELECT 1 FROM recording r WHERE r.meetingId = e.meetingId AND r.state = 'recording' AND r.deletedAt IS NULL) AS isRecording"
            let rows = try Row.fetchAll(db, sql: "SELECT e.*, \(recordingNow) FROM \(from) \(filter) ORDER BY \(order) LIMIT \(perPage) OFFSET \((page - 1) * perPage)",
                                        arguments: arguments)
            return ArchivePage(results: rows.map(Self.hit), total: total, page: page, perPage: perPage)
        }
    }

    private static func hit(_ row: Row) -> ArchiveHit {
        func list(_ text: String) -> [String] { (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? [] }
        return ArchiveHit(id: row["meetingId"], title: row["title"], start: row["startAt"], end: row["endAt"], organiserUnitId: row["organiserUnitId"],
                          classification: Classification(rawValue: row["classification"]) ?? .internal, hallIds: list(row["hallIds"]),
                          hasRecording: row["hasRecording"], recordedSeconds: row["recordedSeconds"], isRecording: row["isRecording"], documentNumbers: list(row["documentNumbers"]),
                          state: row["state"])
    }

    /// Re-reads a meeting into the search index (after a change the index does not see by itself).
    public func refreshArchiveEntry(_ meetingId: String) throws(StoreError) {
        try write { db in try ArchiveIndex.refresh(meetingId, db: db) }
    }

    // MARK: - Recordings of a meeting

    /// The recordings made for `meetingId`, oldest first, deleted ones included.
    public func recordings(ofMeeting meetingId: String) throws(StoreError) -> [Recording] {
        try read { db in try Self.loadRecordings(db, where: "meetingId = ?", [meetingId]) }
    }

    // MARK: - Attachments

    /// Records an attachment whose file is already in place under `storedName`.
    public func addAttachment(_ attachment: Attachment, actor: String) throws(StoreError) -> Attachment {
        try write { db in
            try db.execute(sql: """
                INSERT INTO attachment (meetingId, name, mediaType, bytes, sha256, storedName, uploadedBy, uploadedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [attachment.meetingId, attachment.name, attachment.mediaType, attachment.bytes, attachment.sha256, attachment.storedName,
                                 actor, attachment.uploadedAt])
            var stored = attachment
            stored.id = db.lastInsertedRowID
            stored.uploadedBy = actor
            try AuditEntryRecord.append(db, actor: actor, action: "attachment.added", target: attachment.meetingId,
                                        details: "a\(stored.id) \(attachment.name) (\(attachment.bytes) bytes, sha256 \(attachment.sha256))")
            return stored
        }
    }

    /// The attachments of a meeting, in upload order.
    public func attachments(ofMeeting meetingId: String) throws(StoreError) -> [Attachment] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM attachment WHERE meetingId = ? ORDER BY id", arguments: [meetingId]).map(Self.attachment) }
    }

    /// One attachment.
    public func attachment(_ id: Int64) throws(StoreError) -> Attachment? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM attachment WHERE id = ?", arguments: [id]).map(Self.attachment) }
    }

    private static func attachment(_ row: Row) -> Attachment {
        Attachment(id: row["id"], meetingId: row["meetingId"], name: row["name"], mediaType: row["mediaType"], bytes: row["bytes"], sha256: row["sha256"],
                   storedName: row["storedName"], uploadedBy: row["uploadedBy"], uploadedAt: row["uploadedAt"])
    }

    // MARK: - Holds and retention

    /// Puts a meeting under legal hold: none of its recordings is deleted until the hold is lifted.
    public func hold(_ meetingId: String, reason: String, actor: String, at time: Date = Date()) throws(StoreError) -> LegalHold {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO legalHold (meetingId, reason, heldBy, heldAt) VALUES (?, ?, ?, ?)", arguments: [meetingId, reason, actor, time])
            try AuditEntryRecord.append(db, actor: actor, action: "archive.hold", target: meetingId, details: reason)
            return LegalHold(meetingId: meetingId, reason: reason, heldBy: actor, heldAt: time)
        }
    }

    /// Lifts a hold; refused when there is none.
    public func releaseHold(_ meetingId: String, actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM legalHold WHERE meetingId = ?", arguments: [meetingId])
            guard db.changesCount > 0 else { throw StoreError(.notFound, "\(meetingId) is not on hold") }
            try AuditEntryRecord.append(db, actor: actor, action: "archive.hold-released", target: meetingId, details: nil)
        }
    }

    /// Every hold.
    public func holds() throws(StoreError) -> [LegalHold] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM legalHold ORDER BY heldAt").map {
                LegalHold(meetingId: $0["meetingId"], reason: $0["reason"], heldBy: $0["heldBy"], heldAt: $0["heldAt"])
            }
        }
    }

    /// Finished recordings not yet deleted, as retention weighs them.
    public func retainedRecordings() throws(StoreError) -> [RetainedRecording] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.id, r.meetingId, r.stoppedAt, coalesce(e.classification, 'internal') AS classification,
                  (SELECT coalesce(sum(bytes), 0) FROM recordingPart p WHERE p.recordingId = r.id) AS bytes,
                  EXISTS (SELECT 1 FROM legalHold h WHERE h.meetingId = r.meetingId) AS held
                FROM recording r LEFT JOIN archiveEntry e ON e.meetingId = r.meetingId
                WHERE r.state != 'recording' AND r.deletedAt IS NULL AND r.stoppedAt IS NOT NULL
                """).map { row in
                RetainedRecording(recordingId: row["id"], meetingId: row["meetingId"],
                                  classification: Classification(rawValue: row["classification"]) ?? .internal,
                                  endedAt: row["stoppedAt"], bytes: row["bytes"], isHeld: row["held"])
            }
        }
    }

    /// Records that retention deleted a recording's parts; refused when its meeting went on hold since the plan was made.
    public func markRecordingDeleted(_ id: Int64, reason: String, actor: String, at time: Date = Date()) throws(StoreError) {
        try write { db in
            let held = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM legalHold h JOIN recording r ON r.meetingId = h.meetingId WHERE r.id = ?)",
                                         arguments: [id]) ?? false
            guard !held else { throw StoreError(.conflict, "recording r\(id) belongs to a meeting on hold") }
            try db.execute(sql: "UPDATE recording SET deletedAt = ?, deletionReason = ? WHERE id = ? AND deletedAt IS NULL", arguments: [time, reason, id])
            try AuditEntryRecord.append(db, actor: actor, action: "archive.deleted", target: "r\(id)", details: reason)
            if let meetingId = try String.fetchOne(db, sql: "SELECT meetingId FROM recording WHERE id = ?", arguments: [id]) {
                try ArchiveIndex.refresh(meetingId, db: db)
            }
        }
    }

    /// Whether `meetingId` is on hold.
    public func isHeld(_ meetingId: String) throws(StoreError) -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM legalHold WHERE meetingId = ?)", arguments: [meetingId]) ?? false }
    }

    // MARK: - Integrity

    /// Finished parts with a SHA-256, of recordings not deleted.
    public func partsToVerify() throws(StoreError) -> [(recordingId: Int64, part: RecordingPart)] {
        try read { db in
            try Self.loadRecordings(db, where: "deletedAt IS NULL AND state != 'recording'", []).flatMap { recording in
                recording.parts.filter { $0.sha256 != nil && ($0.state == .complete || $0.state == .partial) }.map { (recording.id, $0) }
            }
        }
    }

    /// Records the result of checking one part against its SHA-256 (`problem` nil when it matched).
    public func recordPartCheck(recording: Int64, part: Int, problem: String?, at time: Date = Date()) throws(StoreError) {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO partCheck (recordingId, partIndex, checkedAt, problem) VALUES (?, ?, ?, ?)",
                           arguments: [recording, part, time, problem])
            if let problem {
                try AuditEntryRecord.append(db, actor: "cascade", action: "archive.damaged", target: "r\(recording) part \(part)", details: problem)
            }
        }
    }

    /// What the checks found so far: when the latest ran, how many parts were checked, the damaged ones.
    public func integrityFindings() throws(StoreError) -> (lastCheckedAt: Date?, checkedParts: Int, damaged: [(recordingId: Int64, partIndex: Int, problem: String, checkedAt: Date)]) {
        let damaged = try damagedParts()
        return try read { db in
            let row = try Row.fetchOne(db, sql: "SELECT max(checkedAt) AS latest, count(*) AS parts FROM partCheck")
            return (row?["latest"], row?["parts"] ?? 0, damaged)
        }
    }

    /// Parts whose last check found damage: (recording, part, problem, checkedAt).
    public func damagedParts() throws(StoreError) -> [(recordingId: Int64, partIndex: Int, problem: String, checkedAt: Date)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM partCheck WHERE problem IS NOT NULL ORDER BY recordingId, partIndex").map {
                ($0["recordingId"], $0["partIndex"], $0["problem"], $0["checkedAt"])
            }
        }
    }
}
