import Foundation
import GRDB

/// Rows written before secrets were kept out of the database: recordings' source URIs and relays'
/// worker specs may still hold passphrases. The server moves them out once, at its start.
extension AppDatabase {
    /// A stored value that may hold a secret, with the state of the job it belongs to.
    public struct StoredJobText: Sendable {
        /// The recording's or relay's id.
        public var id: Int64
        /// Whether the job is still running (and so needs its full value to resume).
        public var isRunning: Bool
        /// The stored text: a source URI, or a relay spec as JSON.
        public var text: String
    }

    /// Every recording's stored source URI.
    public func storedRecordingSources() throws(StoreError) -> [StoredJobText] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, state, sourceURI FROM recording WHERE sourceURI IS NOT NULL").map {
                StoredJobText(id: $0["id"], isRunning: ($0["state"] as String) == "recording", text: $0["sourceURI"])
            }
        }
    }

    /// Every relay's stored worker spec.
    public func storedRelaySpecs() throws(StoreError) -> [StoredJobText] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, state, spec FROM relay WHERE spec IS NOT NULL").map {
                StoredJobText(id: $0["id"], isRunning: ($0["state"] as String) == "running", text: $0["spec"])
            }
        }
    }

    /// Replaces stored values with their redacted forms, then rewrites the file so the old text is not
    /// left behind in free pages.
    public func replaceStoredSecrets(recordingSources: [Int64: String], relaySpecs: [Int64: String]) throws(StoreError) {
        guard !recordingSources.isEmpty || !relaySpecs.isEmpty else { return }
        try write { db in
            for (id, text) in recordingSources { try db.execute(sql: "UPDATE recording SET sourceURI = ? WHERE id = ?", arguments: [text, id]) }
            for (id, text) in relaySpecs { try db.execute(sql: "UPDATE relay SET spec = ? WHERE id = ?", arguments: [text, id]) }
            try AuditEntryRecord.append(db, actor: "system", action: "secrets.moved", target: nil,
                                        details: "\(recordingSources.count) recording sources and \(relaySpecs.count) relay specs redacted")
        }
        do {
            try writer.vacuum()
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        } catch {
            throw StoreError(.unavailable, "could not rewrite the database after redacting: \(error)")
        }
    }
}
