import CascadeCore
import Foundation
import GRDB

/// One line of the append-only audit log.
public struct AuditEntry: Sendable, Codable, Equatable {
    /// Increasing id.
    public var id: Int64
    /// When it happened (UTC).
    public var at: Date
    /// Who did it: a user name, or "system".
    public var actor: String
    /// What was done, e.g. "user.created".
    public var action: String
    /// What it was done to.
    public var target: String?
    /// Further detail for people.
    public var details: String?
}

extension AppDatabase {
    /// Appends an entry to the audit log.
    public func appendAudit(actor: String, action: String, target: String? = nil, details: String? = nil) throws(StoreError) {
        try write { db in try AuditEntryRecord.append(db, actor: actor, action: action, target: target, details: details) }
    }

    /// The newest entries first, at most `limit`, older than `beforeId` when given.
    /// `actor` and `target` match exactly; `action` matches an action or its family (`meeting` finds
    /// `meeting.booked`, `meeting.live`, …).
    public func auditEntries(limit: Int, beforeId: Int64? = nil, actor: String? = nil, action: String? = nil, target: String? = nil) throws(StoreError) -> [AuditEntry] {
        try read { db in
            var request = AuditEntryRecord.order(AuditEntryRecord.Columns.id.desc).limit(limit)
            if let beforeId { request = request.filter(AuditEntryRecord.Columns.id < beforeId) }
            if let actor { request = request.filter(AuditEntryRecord.Columns.actor == actor) }
            if let target { request = request.filter(AuditEntryRecord.Columns.target == target) }
            if let action {
                request = request.filter(AuditEntryRecord.Columns.action == action || AuditEntryRecord.Columns.action.like(Self.likePrefix(action + "."), escape: "\\"))
            }
            return try request.fetchAll(db).map {
                AuditEntry(id: $0.id ?? 0, at: $0.at, actor: $0.actor, action: $0.action, target: $0.target, details: $0.details)
            }
        }
    }
}

extension AppDatabase {
    /// A LIKE pattern matching text that starts with `prefix`, its `%`, `_` and `\\` taken literally.
    static func likePrefix(_ prefix: String) -> String {
        let escaped = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
        return escaped + "%"
    }
}

extension AuditEntryRecord {
    /// Appends within the caller's transaction, so the entry lands with the change it describes.
    static func append(_ db: Database, actor: String, action: String, target: String?, details: String?) throws {
        // Names come from outside (a failed sign-in records whatever name was tried): no control
        // character may cut an entry short or fake a line, and no name may fill the log.
        var record = AuditEntryRecord(
            id: nil, at: Date(), actor: FreeText.sanitisedForLog(actor, limit: 100), action: action,
            target: target.map { FreeText.sanitisedForLog($0, limit: 200) }, details: details.map { FreeText.sanitisedForLog($0, limit: 1000) }
        )
        try record.insert(db)
    }
}
