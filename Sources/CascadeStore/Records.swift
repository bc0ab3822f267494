import CascadeCore
import Foundation
import GRDB

/// A row of `unit`.
struct UnitRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "unit"
    enum Columns {
        static let id = Column("id"), position = Column("position"), isActive = Column("isActive")
    }

    var id: String
    var name: String
    var level: String
    var parentId: String?
    var position: Int
    var isActive: Bool

    var unit: CascadeCore.Unit { Unit(id: id, name: name, level: level, parentId: parentId) }
}

/// A row of `hall`.
struct HallRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "hall"
    enum Columns {
        static let id = Column("id"), unitId = Column("unitId"), position = Column("position"), isActive = Column("isActive")
    }

    var id: String
    var unitId: String
    var name: String
    var endpoint: HallEndpoint
    var capacityKbps: Int
    var latencyMs: Int
    var position: Int
    var isActive: Bool

    var hall: Hall {
        Hall(id: id, name: name, unitId: unitId, endpoint: endpoint, capacityKbps: capacityKbps, latencyMs: latencyMs)
    }
}

/// A row of `user`.
struct UserRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "user"
    enum Columns {
        static let id = Column("id"), name = Column("name")
    }

    var id: Int64?
    var name: String
    var role: String
    var scopeUnitId: String?
    var passwordHash: String
    var createdAt: Date
    var isDisabled: Bool

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var principal: Principal? {
        guard let id, let role = Role(rawValue: role) else { return nil }
        return Principal(userId: id, name: name, role: role, scopeUnitId: scopeUnitId)
    }
}

/// A row of `accessToken`: only the SHA-256 of the token is kept.
struct AccessTokenRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "accessToken"
    enum Columns {
        static let tokenHash = Column("tokenHash"), userId = Column("userId"), id = Column("id"), revokedAt = Column("revokedAt")
        static let calendarPath = Column("calendarPath")
    }

    var id: Int64?
    var userId: Int64
    var tokenHash: String
    var label: String
    var createdAt: Date
    var lastUsedAt: Date?
    var revokedAt: Date?
    var expiresAt: Date?
    /// Set for a calendar feed token: the one `.ics` path it may read.
    var calendarPath: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `auditEntry`.
struct AuditEntryRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "auditEntry"
    enum Columns {
        static let id = Column("id")
        static let actor = Column("actor")
        static let action = Column("action")
        static let target = Column("target")
    }

    var id: Int64?
    var at: Date
    var actor: String
    var action: String
    var target: String?
    var details: String?
}

extension UserRecord {
    /// The user as listed (no password hash); `nil` for a row with an unknown role.
    var info: UserInfo? {
        guard let id, let role = Role(rawValue: role) else { return nil }
        return UserInfo(id: id, name: name, role: role, unitId: scopeUnitId, createdAt: createdAt, isDisabled: isDisabled)
    }
}
