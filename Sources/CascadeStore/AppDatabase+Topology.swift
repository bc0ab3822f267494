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
