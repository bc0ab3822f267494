import CascadeCore
import Foundation
import GRDB

extension AppDatabase {
    /// Registers a running relay and its first halls; returns its id.
    public func createRelay(meetingId: String?, source: String, listenerPort: Int, hallIds: [String], actor: String) throws(StoreError) -> Int64 {
        try write { db in
            let now = Date()
            try db.execute(sql: """
                INSERT INTO relay (meetingId, source, listenerPort, state, startedAt, createdBy) VALUES (?, ?, ?, 'running', ?, ?)
                """, arguments: [meetingId, source, listenerPort, now, actor])
            let id = db.lastInsertedRowID
            for hallId in hallIds {
                try db.execute(sql: "INSERT INTO relayHall (relayId, hallId, addedAt) VALUES (?, ?, ?)", arguments: [id, hallId, now])
            }
            try AuditEntryRecord.append(db, actor: actor, action: "relay.started", target: "rl\(id)", details: "\(source) → \(hallIds.joined(separator: ", "))")
            return id
        }
    }

    /// A hall joined a running relay (again, if it had been removed).
    public func relayHallAdded(relay: Int64, hallId: String, actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO relayHall (relayId, hallId, addedAt) VALUES (?, ?, ?)
                ON CONFLICT (relayId, hallId) DO UPDATE SET removedAt = NULL
                """, arguments: [relay, hallId, Date()])
            try AuditEntryRecord.append(db, actor: actor, action: "relay.hall-added", target: "rl\(relay)", details: hallId)
        }
    }

    /// A hall left a running relay.
    public func relayHallRemoved(relay: Int64, hallId: String, actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE relayHall SET removedAt = ? WHERE relayId = ? AND hallId = ?", arguments: [Date(), relay, hallId])
            try AuditEntryRecord.append(db, actor: actor, action: "relay.hall-removed", target: "rl\(relay)", details: hallId)
        }
    }

    /// Folds live link figures into the stored summary: totals replace, connected time accumulates.
    public func updateRelayHall(relay: Int64, hallId: String, connectedSecondsAdded: Int, bytes: Int64, lostPackets: Int64, retransmittedPackets: Int64, rttMs: Double?) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE relayHall SET connectedSeconds = connectedSeconds + ?, bytes = max(bytes, ?), lostPackets = max(lostPackets, ?),
                  retransmittedPackets = max(retransmittedPackets, ?), maxRttMs = max(coalesce(maxRttMs, 0), coalesce(?, 0))
                WHERE relayId = ? AND hallId = ?
                """, arguments: [connectedSecondsAdded, bytes, lostPackets, retransmittedPackets, rttMs, relay, hallId])
        }
    }

    /// Appends relay events.
    public func appendRelayEvents(_ events: [RelayEventRecord]) throws(StoreError) {
        guard !events.isEmpty else { return }
        try write { db in
            for event in events {
                try db.execute(sql: "INSERT INTO relayEvent (relayId, at, kind, hallId, detail) VALUES (?, ?, ?, ?, ?)",
                               arguments: [event.relayId, event.at, event.kind, event.hallId, event.detail])
            }
        }
    }

    /// Ends a relay.
    public func finishRelay(_ id: Int64, state: RelaySummary.State, reason: String?, actor: String) throws(StoreError) {
        try write { db in
            let now = Date()
            try db.execute(sql: "UPDATE relay SET state = ?, stoppedAt = ?, reason = ? WHERE id = ?", arguments: [state.rawValue, now, reason, id])
            try db.execute(sql: "UPDATE relayHall SET removedAt = ? WHERE relayId = ? AND removedAt IS NULL", arguments: [now, id])
            try AuditEntryRecord.append(db, actor: actor, action: "relay.\(state.rawValue)", target: "rl\(id)", details: reason)
        }
    }

    /// Keeps what a later server run needs to re-attach to a relay: its worker's spec (without its
    /// keys; see CascadeApp's SecretKeepingLedger), worker id and process id.
    public func saveRelayWorker(relay: Int64, spec: String, workerId: String?, pid: Int32?) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE relay SET spec = ?, workerId = ?, workerPid = ? WHERE id = ?", arguments: [spec, workerId, pid.map { Int($0) }, relay])
        }
    }

    /// Relays marked running, with their saved worker spec, worker id and process id.
    public func runningRelayWorkers() throws(StoreError) -> [(relay: Int64, meetingId: String?, spec: String?, workerId: String?, pid: Int32?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, meetingId, spec, workerId, workerPid FROM relay WHERE state = 'running' ORDER BY id").map { row in
                let pid: Int? = row["workerPid"]
                return (row["id"], row["meetingId"], row["spec"], row["workerId"], pid.map { Int32(truncatingIfNeeded: $0) })
            }
        }
    }

    /// One relay with its halls.
    public func relay(_ id: Int64) throws(StoreError) -> RelaySummary? {
        try read { db in try Self.fetchRelays(db, sql: "WHERE id = ?", arguments: [id]).first }
    }

    /// Relays, newest first.
    public func relays(limit: Int = 100) throws(StoreError) -> [RelaySummary] {
        try read { db in try Self.fetchRelays(db, sql: "ORDER BY id DESC LIMIT ?", arguments: [limit]) }
    }

    /// The relays of a meeting, oldest first, with their stored events.
    public func relays(forMeeting meetingId: String) throws(StoreError) -> [(relay: RelaySummary, events: [RelayEventRecord])] {
        try read { db in
            try Self.fetchRelays(db, sql: "WHERE meetingId = ? ORDER BY id", arguments: [meetingId]).map { relay in
                let events = try Row.fetchAll(db, sql: "SELECT * FROM relayEvent WHERE relayId = ? ORDER BY id", arguments: [relay.id]).map { row in
                    RelayEventRecord(relayId: row["relayId"], at: row["at"], kind: row["kind"], hallId: row["hallId"], detail: row["detail"])
                }
                return (relay, events)
            }
        }
    }

    /// A relay's stored events, oldest first.
    public func relayEvents(_ id: Int64, limit: Int = 1000) throws(StoreError) -> [RelayEventRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM relayEvent WHERE relayId = ? ORDER BY id LIMIT ?", arguments: [id, limit]).map { row in
                RelayEventRecord(relayId: row["relayId"], at: row["at"], kind: row["kind"], hallId: row["hallId"], detail: row["detail"])
            }
        }
    }

    private static func fetchRelays(_ db: Database, sql: String, arguments: StatementArguments) throws -> [RelaySummary] {
        try Row.fetchAll(db, sql: "SELECT * FROM relay \(sql)", arguments: arguments).map { row in
            let id: Int64 = row["id"]
            let halls = try Row.fetchAll(db, sql: "SELECT * FROM relayHall WHERE relayId = ? ORDER BY addedAt, hallId", arguments: [id]).map { hall in
                RelayHallSummary(
                    hallId: hall["hallId"], addedAt: hall["addedAt"], removedAt: hall["removedAt"], connectedSeconds: hall["connectedSeconds"],
                    bytes: hall["bytes"], lostPackets: hall["lostPackets"], retransmittedPackets: hall["retransmittedPackets"], maxRttMs: hall["maxRttMs"]
                )
            }
            return RelaySummary(
                id: id, meetingId: row["meetingId"], source: row["source"], listenerPort: row["listenerPort"],
                state: RelaySummary.State(rawValue: row["state"]) ?? .failed, startedAt: row["startedAt"], stoppedAt: row["stoppedAt"],
                reason: row["reason"], createdBy: row["createdBy"], halls: halls
            )
        }
    }
}
