import GRDB

extension AppDatabase {
    /// Schema history. A migration never changes once it has shipped: add a new one instead.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-units-halls-users-tokens-audit") { db in
            try db.create(table: "unit") { t in
                t.primaryKey("id", .text)
                t.column("name", .text).notNull()
                t.column("level", .text).notNull()
                t.column("parentId", .text).references("unit", onDelete: .restrict)
                t.column("position", .integer).notNull()
                t.column("isActive", .boolean).notNull().defaults(to: true)
            }
            try db.create(table: "hall") { t in
                t.primaryKey("id", .text)
                t.column("unitId", .text).notNull().indexed().references("unit", onDelete: .restrict)
                t.column("name", .text).notNull()
                t.column("endpoint", .jsonText).notNull()
                t.column("capacityKbps", .integer).notNull().check { $0 > 0 }
                t.column("latencyMs", .integer).notNull().check { $0 > 0 }
                t.column("position", .integer).notNull()
                t.column("isActive", .boolean).notNull().defaults(to: true)
            }
            try db.create(table: "user") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("role", .text).notNull().check(sql: "role IN ('admin', 'secretariat', 'technician', 'viewer')")
                t.column("scopeUnitId", .text).references("unit", onDelete: .restrict)
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("isDisabled", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "accessToken") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("userId", .integer).notNull().indexed().references("user", onDelete: .cascade)
                t.column("tokenHash", .text).notNull().unique()
                t.column("label", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("lastUsedAt", .datetime)
                t.column("revokedAt", .datetime)
            }
            try db.create(table: "auditEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("target", .text)
                t.column("details", .text)
            }
            // The audit log is evidence: the database itself refuses to rewrite it.
            try db.execute(sql: """
                CREATE TRIGGER auditEntryNoUpdate BEFORE UPDATE ON auditEntry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER auditEntryNoDelete BEFORE DELETE ON auditEntry
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        return migrator
    }
}
