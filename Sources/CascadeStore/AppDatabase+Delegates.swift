import CascadeCore
import Foundation
import GRDB

/// A meeting's invitation list and roll call.
extension AppDatabase {
    /// The delegates of a meeting, in list order.
    public func delegates(ofMeeting meetingId: String) throws(StoreError) -> [Delegate] {
        try read { db in try Self.fetchDelegates(db, meetingId) }
    }

    /// Replaces a meeting's invitation list. A delegate already on it (same name, folded, and unit)
    /// keeps their id and roll-call state; the others start not called; those left off are removed.
    @discardableResult
    public func replaceDelegates(ofMeeting meetingId: String, with entries: [DelegateEntry], actor: String) throws(StoreError) -> [Delegate] {
        try write { db in
            var previous = Dictionary(try Self.fetchDelegates(db, meetingId).map { (Self.key($0.name, $0.unitId), $0) }, uniquingKeysWith: { first, _ in first })
            for (index, entry) in entries.enumerated() {
                if let kept = previous.removeValue(forKey: Self.key(entry.name, entry.unitId)) {
                    try db.execute(sql: "UPDATE delegate SET listIndex = ?, name = ?, position = ?, hallId = ? WHERE id = ?",
                                   arguments: [index, entry.name, entry.position, entry.hallId, kept.id])
                } else {
                    try db.execute(sql: """
                        INSERT INTO delegate (meetingId, listIndex, name, position, unitId, hallId, state) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [meetingId, index, entry.name, entry.position, entry.unitId, entry.hallId, Delegate.State.notCalled.rawValue])
                }
            }
            for gone in previous.values { try db.execute(sql: "DELETE FROM delegate WHERE id = ?", arguments: [gone.id]) }
            try AuditEntryRecord.append(db, actor: actor, action: "delegates.replaced", target: meetingId, details: "\(entries.count) delegates")
            return try Self.fetchDelegates(db, meetingId)
        }
    }

    /// Marks a delegate's roll-call state; records who marked it and when.
    public func markDelegate(_ id: Int64, ofMeeting meetingId: String, state: Delegate.State, reason: String?, representedBy: String?,
                             actor: String, at time: Date = Date()) throws(StoreError) -> Delegate {
        try write { db in
            try db.execute(sql: """
                UPDATE delegate SET state = ?, reason = ?, representedBy = ?, markedBy = ?, markedAt = ? WHERE id = ? AND meetingId = ?
                """, arguments: [state.rawValue, reason, representedBy, actor, time, id, meetingId])
            guard db.changesCount == 1, let marked = try Self.fetchDelegates(db, meetingId).first(where: { $0.id == id }) else {
                throw StoreError(.notFound, "meeting \(meetingId) has no delegate \(id)")
            }
            try AuditEntryRecord.append(db, actor: actor, action: "delegate.marked", target: meetingId, details: "\(marked.name): \(state.rawValue)")
            return marked
        }
    }

    private static func key(_ name: String, _ unitId: String) -> String { VietnameseFolding.fold(name) + "\u{1F}" + unitId }

    private static func fetchDelegates(_ db: Database, _ meetingId: String) throws -> [Delegate] {
        try Row.fetchAll(db, sql: "SELECT * FROM delegate WHERE meetingId = ? ORDER BY listIndex, id", arguments: [meetingId]).map { row in
            Delegate(id: row["id"], name: row["name"], position: row["position"], unitId: row["unitId"], hallId: row["hallId"],
                     state: Delegate.State(rawValue: row["state"]) ?? .notCalled, reason: row["reason"], representedBy: row["representedBy"],
                     markedBy: row["markedBy"], markedAt: row["markedAt"])
        }
    }
}
