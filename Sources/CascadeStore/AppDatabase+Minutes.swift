import CascadeCore
import Foundation
import GRDB

extension AppDatabase {
    /// The latest version of a meeting's minutes, or `nil` when none was written.
    public func minutes(_ meetingId: String) throws(StoreError) -> Minutes? {
        try read { db in try Self.latestMinutes(meetingId, db: db) }
    }

    /// Every version of a meeting's minutes, oldest first.
    public func minutesVersions(_ meetingId: String) throws(StoreError) -> [Minutes] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM minutesVersion WHERE meetingId = ? ORDER BY version", arguments: [meetingId]).map(Self.minutes)
        }
    }

    /// Saves `content` as the meeting's draft (creating version 1 when there is none). Refused with a
    /// conflict when the latest version is final (start a new version first) or when a document number
    /// is already used by another meeting of the same issuing unit and year.
    public func saveMinutes(_ meetingId: String, content: MinutesContent, issuingUnitId: String, actor: String, at time: Date = Date()) throws(StoreError) -> Minutes {
        try write { db in
            let latest = try Self.latestMinutes(meetingId, db: db)
            if let latest, latest.state == .final {
                throw StoreError(.conflict, "version \(latest.version) of the minutes of \(meetingId) is final; start a new version to change them")
            }
            let version = latest?.version ?? 1
            try Self.claimDocumentNumbers(content.documents, meetingId: meetingId, unitId: issuingUnitId, db: db)
            let minutes = Minutes(meetingId: meetingId, version: version, state: .draft, content: content, updatedBy: actor, updatedAt: time)
            try db.execute(sql: """
                INSERT INTO minutesVersion (meetingId, version, state, content, updatedBy, updatedAt) VALUES (?, ?, 'draft', ?, ?, ?)
                ON CONFLICT (meetingId, version) DO UPDATE SET content = excluded.content, updatedBy = excluded.updatedBy, updatedAt = excluded.updatedAt
                """, arguments: [meetingId, version, try Self.encoded(content), actor, time])
            try AuditEntryRecord.append(db, actor: actor, action: "minutes.saved", target: meetingId,
                                        details: "version \(version); \(content.agenda.count) items, \(content.documents.count) documents")
            try ArchiveIndex.refresh(meetingId, db: db)
            return minutes
        }
    }

    /// Makes the latest draft final. Refused when there is no draft.
    public func finaliseMinutes(_ meetingId: String, actor: String, at time: Date = Date()) throws(StoreError) -> Minutes {
        try write { db in
            guard var latest = try Self.latestMinutes(meetingId, db: db) else { throw StoreError(.notFound, "\(meetingId) has no minutes yet") }
            guard latest.state == .draft else { throw StoreError(.conflict, "version \(latest.version) of the minutes of \(meetingId) is already final") }
            try db.execute(sql: "UPDATE minutesVersion SET state = 'final', finalisedBy = ?, finalisedAt = ? WHERE meetingId = ? AND version = ?",
                           arguments: [actor, time, meetingId, latest.version])
            try AuditEntryRecord.append(db, actor: actor, action: "minutes.finalised", target: meetingId, details: "version \(latest.version)")
            latest.state = .final
            latest.finalisedBy = actor
            latest.finalisedAt = time
            return latest
        }
    }

    /// Starts a new draft from the final version. Refused while the latest version is still a draft.
    public func startMinutesVersion(_ meetingId: String, actor: String, at time: Date = Date()) throws(StoreError) -> Minutes {
        try write { db in
            guard let latest = try Self.latestMinutes(meetingId, db: db) else { throw StoreError(.notFound, "\(meetingId) has no minutes yet") }
            guard latest.state == .final else { throw StoreError(.conflict, "version \(latest.version) of the minutes of \(meetingId) is still a draft; edit it") }
            let minutes = Minutes(meetingId: meetingId, version: latest.version + 1, state: .draft, content: latest.content, updatedBy: actor, updatedAt: time)
            try db.execute(sql: "INSERT INTO minutesVersion (meetingId, version, state, content, updatedBy, updatedAt) VALUES (?, ?, 'draft', ?, ?, ?)",
                           arguments: [meetingId, minutes.version, try Self.encoded(latest.content), actor, time])
            try AuditEntryRecord.append(db, actor: actor, action: "minutes.new-version", target: meetingId, details: "version \(minutes.version)")
            return minutes
        }
    }

    static func latestMinutes(_ meetingId: String, db: Database) throws -> Minutes? {
        try Row.fetchOne(db, sql: "SELECT * FROM minutesVersion WHERE meetingId = ? ORDER BY version DESC LIMIT 1", arguments: [meetingId]).map(minutes)
    }

    private static func minutes(_ row: Row) throws -> Minutes {
        let text: String = row["content"]
        let content = try JSONDecoder().decode(MinutesContent.self, from: Data(text.utf8))
        return Minutes(meetingId: row["meetingId"], version: row["version"], state: Minutes.State(rawValue: row["state"]) ?? .draft, content: content,
                       updatedBy: row["updatedBy"], updatedAt: row["updatedAt"], finalisedBy: row["finalisedBy"], finalisedAt: row["finalisedAt"])
    }

    private static func encoded(_ content: MinutesContent) throws -> String {
        String(decoding: try JSONEncoder().encode(content), as: UTF8.self)
    }

    /// Takes the meeting's document numbers: refused when another meeting of the unit holds one that year.
    private static func claimDocumentNumbers(_ documents: [IssuedDocument], meetingId: String, unitId: String, db: Database) throws {
        for document in documents {
            if let holder = try String.fetchOne(db, sql: "SELECT meetingId FROM issuedDocument WHERE unitId = ? AND year = ? AND number = ? AND meetingId != ?",
                                                arguments: [unitId, document.date.year, document.number, meetingId]) {
                throw StoreError(.conflict, "document \(document.number) of \(document.date.year) was already issued by \(unitId) at meeting \(holder)")
            }
        }
        try db.execute(sql: "DELETE FROM issuedDocument WHERE meetingId = ?", arguments: [meetingId])
        for document in documents {
            try db.execute(sql: "INSERT INTO issuedDocument (unitId, year, number, meetingId) VALUES (?, ?, ?, ?)",
                           arguments: [unitId, document.date.year, document.number, meetingId])
        }
    }
}
