import CascadeCore
import Foundation
import GRDB

/// A technician's confirmation that a hall has picture and sound.
public struct HallConfirmation: Sendable, Hashable, Codable {
    /// The hall.
    public var hallId: String
    /// Who confirmed.
    public var confirmedBy: String
    /// When.
    public var confirmedAt: Date
    /// How, e.g. "picture and sound confirmed by phone".
    public var note: String
}

/// Meeting runs: one row per meeting occurrence, its transitions and its halls' confirmations.
extension AppDatabase {
    /// The run of `meetingId` for `owner` to drive: created when there is none, returned when `owner`
    /// already holds it or its holder has not been seen for `lease` seconds; `nil` while another
    /// scheduler holds it. One transaction, so two schedulers racing get one run, held by one.
    public func claimMeetingRun(_ meetingId: String, owner: String, now: Date, lease: TimeInterval) throws(StoreError) -> MeetingRun? {
        try write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT run, owner, ownerSeenAt FROM meetingRun WHERE meetingId = ?", arguments: [meetingId]) {
                let holder: String = row["owner"], seen: Date = row["ownerSeenAt"]
                guard holder == owner || now.timeIntervalSince(seen) > lease else { return nil }
                try db.execute(sql: "UPDATE meetingRun SET owner = ?, ownerSeenAt = ? WHERE meetingId = ?", arguments: [owner, now, meetingId])
                return try JSONDecoder().decode(MeetingRun.self, from: Data((row["run"] as String).utf8))
            }
            let run = MeetingRun(meetingId: meetingId)
            try db.execute(sql: "INSERT INTO meetingRun (meetingId, state, run, owner, ownerSeenAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [meetingId, run.state.rawValue, try Self.json(run), owner, now, now])
            return run
        }
    }

    /// Saves a run with the transitions it just made, each audited and, when the run is held, the
    /// single meeting marked held — all in one transaction. Refused when `owner` no longer holds it.
    public func saveMeetingRun(_ run: MeetingRun, owner: String, now: Date, transitions: [MeetingRunTransition] = []) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE meetingRun SET state = ?, run = ?, ownerSeenAt = ?, updatedAt = ? WHERE meetingId = ? AND owner = ?",
                           arguments: [run.state.rawValue, try Self.json(run), now, now, run.meetingId, owner])
            guard db.changesCount == 1 else { throw StoreError(.conflict, "the run of \(run.meetingId) is held by another scheduler") }
            for transition in transitions {
                try db.execute(sql: "INSERT INTO meetingRunTransition (meetingId, fromState, toState, at, reason) VALUES (?, ?, ?, ?, ?)",
                               arguments: [transition.meetingId, transition.from.rawValue, transition.to.rawValue, transition.at, transition.reason])
                try AuditEntryRecord.append(db, actor: "scheduler", action: "meeting.\(transition.to.rawValue)", target: transition.meetingId,
                                            details: transition.reason)
                if transition.to == .held, case .single(let id)? = MeetingReference(transition.meetingId) {
                    try db.execute(sql: "UPDATE meeting SET state = 'held', updatedAt = ? WHERE id = ? AND state = 'booked'", arguments: [now, id])
                }
            }
            if !transitions.isEmpty { try ArchiveIndex.refresh(run.meetingId, db: db) }
        }
    }

    /// Keeps `owner`'s hold on its runs fresh.
    public func renewMeetingRuns(_ meetingIds: [String], owner: String, now: Date) throws(StoreError) {
        guard !meetingIds.isEmpty else { return }
        try write { db in
            let marks = Array(repeating: "?", count: meetingIds.count).joined(separator: ",")
            try db.execute(sql: "UPDATE meetingRun SET ownerSeenAt = ? WHERE owner = ? AND meetingId IN (\(marks))",
                           arguments: StatementArguments([now, owner] as [any DatabaseValueConvertible] + meetingIds))
        }
    }

    /// The run of a meeting, if the scheduler ever took it up.
    public func meetingRun(_ meetingId: String) throws(StoreError) -> MeetingRun? {
        try read { db in try Self.runs(db, where: "meetingId = ?", [meetingId]).first }
    }

    /// The runs of these meetings, by meeting id.
    public func meetingRuns(_ meetingIds: [String]) throws(StoreError) -> [String: MeetingRun] {
        guard !meetingIds.isEmpty else { return [:] }
        return try read { db in
            let marks = Array(repeating: "?", count: meetingIds.count).joined(separator: ",")
            let runs = try Self.runs(db, where: "meetingId IN (\(marks))", meetingIds)
            return Dictionary(runs.map { ($0.meetingId, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Runs that are not over (after a restart, the scheduler resumes them).
    public func unfinishedMeetingRuns() throws(StoreError) -> [MeetingRun] {
        try read { db in try Self.runs(db, where: "state IN ('booked', 'rehearsal', 'live')", []) }
    }

    /// The transitions of a meeting's run, oldest first.
    public func meetingRunTransitions(_ meetingId: String) throws(StoreError) -> [MeetingRunTransition] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM meetingRunTransition WHERE meetingId = ? ORDER BY id", arguments: [meetingId]).map {
                MeetingRunTransition(meetingId: $0["meetingId"], from: MeetingRunState(rawValue: $0["fromState"]) ?? .booked,
                                     to: MeetingRunState(rawValue: $0["toState"]) ?? .booked, at: $0["at"], reason: $0["reason"])
            }
        }
    }

    /// Records that a hall's picture and sound were confirmed (again, replacing the earlier one).
    public func confirmHall(_ hallId: String, ofMeeting meetingId: String, note: String, actor: String, at time: Date = Date()) throws(StoreError) -> HallConfirmation {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO hallConfirmation (meetingId, hallId, confirmedBy, confirmedAt, note) VALUES (?, ?, ?, ?, ?)",
                           arguments: [meetingId, hallId, actor, time, note])
            try AuditEntryRecord.append(db, actor: actor, action: "meeting.hall-confirmed", target: meetingId, details: "\(hallId): \(note)")
            return HallConfirmation(hallId: hallId, confirmedBy: actor, confirmedAt: time, note: note)
        }
    }

    /// The confirmations of a meeting's halls.
    public func hallConfirmations(ofMeeting meetingId: String) throws(StoreError) -> [HallConfirmation] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM hallConfirmation WHERE meetingId = ? ORDER BY confirmedAt", arguments: [meetingId]).map {
                HallConfirmation(hallId: $0["hallId"], confirmedBy: $0["confirmedBy"], confirmedAt: $0["confirmedAt"], note: $0["note"])
            }
        }
    }

    private static func runs(_ db: Database, where condition: String, _ arguments: [String]) throws -> [MeetingRun] {
        try String.fetchAll(db, sql: "SELECT run FROM meetingRun WHERE \(condition)", arguments: StatementArguments(arguments)).map {
            try JSONDecoder().decode(MeetingRun.self, from: Data($0.utf8))
        }
    }

    private static func json(_ run: MeetingRun) throws -> String {
        String(decoding: try JSONEncoder().encode(run), as: UTF8.self)
    }
}

/// The webhook delivery log.
extension AppDatabase {
    /// Logs a delivery about to be attempted; returns its id.
    public func queueWebhookDelivery(event: String, url: String, body: String, at time: Date) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(sql: "INSERT INTO webhookDelivery (event, url, body, state, attempts, createdAt) VALUES (?, ?, ?, 'pending', 0, ?)",
                           arguments: [event, url, body, time])
            return db.lastInsertedRowID
        }
    }

    /// Records an attempt.
    public func updateWebhookDelivery(_ id: Int64, state: String, attempts: Int, responseStatus: Int?, error: String?, at time: Date) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                UPDATE webhookDelivery SET state = ?, attempts = ?, responseStatus = ?, lastError = ?, finishedAt = ? WHERE id = ?
                """, arguments: [state, attempts, responseStatus, error, state == "pending" ? nil : time, id])
        }
    }

    /// The newest deliveries first.
    public func webhookDeliveries(limit: Int) throws(StoreError) -> [WebhookDelivery] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhookDelivery ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                WebhookDelivery(id: $0["id"], event: $0["event"], url: $0["url"], state: WebhookDelivery.State(rawValue: $0["state"]) ?? .pending,
                                attempts: $0["attempts"], responseStatus: $0["responseStatus"], lastError: $0["lastError"],
                                createdAt: $0["createdAt"], finishedAt: $0["finishedAt"])
            }
        }
    }
}
