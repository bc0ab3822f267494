import CascadeCore
import Foundation
import GRDB

extension AppDatabase {
    /// Makes the unit and hall tables match the configured tree, in one transaction.
    ///
    /// Units and halls missing from the configuration are deactivated, not deleted, so users,
    /// meetings and recordings that refer to them keep their history.
    public func syncTopology(_ tree: UnitTree) throws(StoreError) {
        try write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            let unitOfHall = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, unitId FROM hall").map { ($0["id"] as String, $0["unitId"] as String) })
            try UnitRecord.updateAll(db, UnitRecord.Columns.isActive.set(to: false))
            try HallRecord.updateAll(db, HallRecord.Columns.isActive.set(to: false))
            for (position, unit) in tree.units.enumerated() {
                try UnitRecord(id: unit.id, name: unit.name, level: unit.level, parentId: unit.parentId, position: position, isActive: true).upsert(db)
            }
            for (position, hall) in tree.halls.enumerated() {
                try HallRecord(
                    id: hall.id, unitId: hall.unitId, name: hall.name, endpoint: hall.endpoint,
                    capacityKbps: hall.capacityKbps, latencyMs: hall.latencyMs, position: position, isActive: true
                ).upsert(db)
            }
            try reresolveHallSelections(tree, db: db)
            // Search decides who sees a meeting by its halls' units: meetings in a hall that moved are re-read.
            let moved = tree.halls.filter { hall in unitOfHall[hall.id].map { $0 != hall.unitId } ?? false }.map(\.id)
            if !moved.isEmpty {
                let affected = try String.fetchAll(db, sql: """
                    SELECT meetingId FROM archiveEntry WHERE EXISTS (SELECT 1 FROM json_each(archiveEntry.hallIds) h WHERE h.value IN (SELECT value FROM json_each(?)))
                    """, arguments: [ArchiveIndex.json(moved)])
                for meetingId in affected { try ArchiveIndex.refresh(meetingId, db: db) }
            }
            try AuditEntryRecord.append(
                db, actor: "system", action: "topology.synced", target: nil,
                details: "\(tree.units.count) units, \(tree.halls.count) halls"
            )
        }
    }

    /// Active units in configuration order.
    public func units() throws(StoreError) -> [CascadeCore.Unit] {
        try read { db in
            try UnitRecord.filter(UnitRecord.Columns.isActive).order(UnitRecord.Columns.position).fetchAll(db).map(\.unit)
        }
    }

    /// Active halls in configuration order.
    public func halls() throws(StoreError) -> [Hall] {
        try read { db in
            try HallRecord.filter(HallRecord.Columns.isActive).order(HallRecord.Columns.position).fetchAll(db).map(\.hall)
        }
    }
}
