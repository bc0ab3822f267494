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
        migrator.registerMigration("v2-meetings-series") { db in
            try db.create(table: "meeting") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("startAt", .datetime).notNull()
                t.column("endAt", .datetime).notNull()
                t.column("windowStart", .datetime).notNull().indexed()
                t.column("state", .text).notNull().check(sql: "state IN ('booked', 'cancelled', 'held')")
                t.column("details", .jsonText).notNull()
                t.column("searchText", .text).notNull()
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.check(sql: "endAt > startAt AND windowStart <= startAt")
            }
            // The meeting's window is repeated here so that "this hall's meetings in this range" is one
            // index range per hall, however busy the rest of the country is.
            try db.create(table: "meetingHall") { t in
                t.column("meetingId", .integer).notNull().references("meeting", onDelete: .cascade)
                t.column("hallId", .text).notNull().references("hall", onDelete: .restrict)
                t.column("windowStart", .datetime).notNull()
                t.column("endAt", .datetime).notNull()
                t.primaryKey(["meetingId", "hallId"])
            }
            try db.create(index: "meetingHall_on_hallId_windowStart", on: "meetingHall", columns: ["hallId", "windowStart"])
            try db.create(table: "series") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("firstDate", .text).notNull()
                t.column("lastDate", .text)
                t.column("startTime", .text).notNull()
                t.column("durationMinutes", .integer).notNull().check { $0 > 0 }
                t.column("zone", .text).notNull()
                t.column("rule", .jsonText).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('booked', 'cancelled')")
                t.column("details", .jsonText).notNull()
                t.column("searchText", .text).notNull()
                t.column("createdBy", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "seriesHall") { t in
                t.column("seriesId", .integer).notNull().references("series", onDelete: .cascade)
                t.column("hallId", .text).notNull().indexed().references("hall", onDelete: .restrict)
                t.primaryKey(["seriesId", "hallId"])
            }
            try db.create(table: "seriesException") { t in
                t.column("seriesId", .integer).notNull().references("series", onDelete: .cascade)
                t.column("occurrenceDate", .text).notNull()
                t.column("kind", .text).notNull().check(sql: "kind IN ('cancelled', 'moved')")
                t.column("startAt", .datetime)
                t.column("endAt", .datetime)
                t.primaryKey(["seriesId", "occurrenceDate"])
            }
        }
        migrator.registerMigration("v3-recordings") { db in
            try db.create(table: "recording") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meetingId", .text)
                t.column("source", .text).notNull()
                t.column("sourceURI", .text).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('recording', 'stopped', 'failed')")
                t.column("partSeconds", .integer).notNull().check { $0 > 0 }
                t.column("startedAt", .datetime).notNull()
                t.column("stoppedAt", .datetime)
                t.column("reason", .text)
                t.column("createdBy", .text).notNull()
            }
            try db.create(table: "recordingPart") { t in
                t.column("recordingId", .integer).notNull().references("recording", onDelete: .restrict)
                t.column("partIndex", .integer).notNull()
                t.column("fileName", .text).notNull()
                t.column("startedAt", .datetime).notNull()
                t.column("durationSeconds", .double)
                t.column("bytes", .integer)
                t.column("videoCodec", .text)
                t.column("audioCodec", .text)
                t.column("width", .integer)
                t.column("height", .integer)
                t.column("sha256", .text)
                t.column("state", .text).notNull().check(sql: "state IN ('recording', 'complete', 'partial', 'corrupt')")
                t.primaryKey(["recordingId", "partIndex"])
            }
            try db.create(table: "recordingGap") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("recordingId", .integer).notNull().indexed().references("recording", onDelete: .restrict)
                t.column("startAt", .datetime).notNull()
                t.column("endAt", .datetime)
                t.column("reason", .text).notNull()
            }
        }
        migrator.registerMigration("v4-relays") { db in
            try db.create(table: "relay") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meetingId", .text)
                t.column("source", .text).notNull()
                t.column("listenerPort", .integer).notNull()
                t.column("state", .text).notNull().check(sql: "state IN ('running', 'stopped', 'failed')")
                t.column("startedAt", .datetime).notNull()
                t.column("stoppedAt", .datetime)
                t.column("reason", .text)
                t.column("createdBy", .text).notNull()
            }
            try db.create(table: "relayHall") { t in
                t.column("relayId", .integer).notNull().references("relay", onDelete: .restrict)
                t.column("hallId", .text).notNull()
                t.column("addedAt", .datetime).notNull()
                t.column("removedAt", .datetime)
                t.column("connectedSeconds", .integer).notNull().defaults(to: 0)
                t.column("bytes", .integer).notNull().defaults(to: 0)
                t.column("lostPackets", .integer).notNull().defaults(to: 0)
                t.column("retransmittedPackets", .integer).notNull().defaults(to: 0)
                t.column("maxRttMs", .double)
                t.primaryKey(["relayId", "hallId"])
            }
            try db.create(table: "relayEvent") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("relayId", .integer).notNull().references("relay", onDelete: .restrict)
                t.column("at", .datetime).notNull()
                t.column("kind", .text).notNull()
                t.column("hallId", .text)
                t.column("detail", .text).notNull()
            }
            try db.create(index: "relayEvent_relay_at", on: "relayEvent", columns: ["relayId", "at"])
        }
        migrator.registerMigration("v5-relay-workers") { db in
            // What the next server run needs to re-attach to a relay's worker, or restart it.
            try db.alter(table: "relay") { t in
                t.add(column: "spec", .text)
                t.add(column: "workerId", .text)
                t.add(column: "workerPid", .integer)
            }
        }
        migrator.registerMigration("v6-token-expiry") { db in
            // Tokens expire; those issued before this column existed get thirty days from their issue.
            try db.alter(table: "accessToken") { t in t.add(column: "expiresAt", .datetime) }
            try db.execute(sql: "UPDATE accessToken SET expiresAt = datetime(createdAt, '+30 days')")
        }
        migrator.registerMigration("v7-calendar-feed-tokens") { db in
            // A feed token reads one calendar (this exact path) and nothing else.
            try db.alter(table: "accessToken") { t in t.add(column: "calendarPath", .text) }
        }
        migrator.registerMigration("v8-delegates") { db in
            // A meeting's invitation list and roll call. meetingId is a meeting's id as the API shows it
            // (m12, or s3-2026-12-07 for an occurrence of a series).
            try db.create(table: "delegate") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meetingId", .text).notNull().indexed()
                t.column("listIndex", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("position", .text).notNull()
                t.column("unitId", .text).notNull()
                t.column("hallId", .text).notNull()
                t.column("state", .text).notNull()
                t.column("reason", .text)
                t.column("representedBy", .text)
                t.column("markedBy", .text)
                t.column("markedAt", .datetime)
            }
        }
        migrator.registerMigration("v9-meeting-runs") { db in
            // One run per meeting occurrence: the primary key is the meeting id, so two schedulers (or
            // one restarted) can never start a second. `owner` holds it while `ownerSeenAt` is recent.
            try db.create(table: "meetingRun") { t in
                t.primaryKey("meetingId", .text)
                t.column("state", .text).notNull().indexed()
                t.column("run", .text).notNull()
                t.column("owner", .text).notNull()
                t.column("ownerSeenAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "meetingRunTransition") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meetingId", .text).notNull().indexed()
                t.column("fromState", .text).notNull()
                t.column("toState", .text).notNull()
                t.column("at", .datetime).notNull()
                t.column("reason", .text).notNull()
            }
            try db.create(table: "hallConfirmation") { t in
                t.column("meetingId", .text).notNull()
                t.column("hallId", .text).notNull()
                t.column("confirmedBy", .text).notNull()
                t.column("confirmedAt", .datetime).notNull()
                t.column("note", .text).notNull()
                t.primaryKey(["meetingId", "hallId"])
            }
            try db.create(table: "webhookDelivery") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("event", .text).notNull()
                t.column("url", .text).notNull()
                t.column("body", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("attempts", .integer).notNull()
                t.column("responseStatus", .integer)
                t.column("lastError", .text)
                t.column("createdAt", .datetime).notNull()
                t.column("finishedAt", .datetime)
            }
        }
        migrator.registerMigration("v10-minutes-archive") { db in
            // Minutes keep every version; a final one is never updated again.
            try db.create(table: "minutesVersion") { t in
                t.column("meetingId", .text).notNull()
                t.column("version", .integer).notNull().check { $0 > 0 }
                t.column("state", .text).notNull().check(sql: "state IN ('draft', 'final')")
                t.column("content", .jsonText).notNull()
                t.column("updatedBy", .text).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("finalisedBy", .text)
                t.column("finalisedAt", .datetime)
                t.primaryKey(["meetingId", "version"])
            }
            // A document number is unique per issuing unit and year, across all meetings.
            try db.create(table: "issuedDocument") { t in
                t.column("unitId", .text).notNull()
                t.column("year", .integer).notNull()
                t.column("number", .text).notNull()
                t.column("meetingId", .text).notNull().indexed()
                t.primaryKey(["unitId", "year", "number"])
            }
            try db.create(table: "attachment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meetingId", .text).notNull().indexed()
                t.column("name", .text).notNull()
                t.column("mediaType", .text).notNull()
                t.column("bytes", .integer).notNull().check { $0 > 0 }
                t.column("sha256", .text).notNull()
                t.column("storedName", .text).notNull().unique()
                t.column("uploadedBy", .text).notNull()
                t.column("uploadedAt", .datetime).notNull()
            }
            try db.create(table: "legalHold") { t in
                t.primaryKey("meetingId", .text)
                t.column("reason", .text).notNull()
                t.column("heldBy", .text).notNull()
                t.column("heldAt", .datetime).notNull()
            }
            try db.alter(table: "recording") { t in
                t.add(column: "deletedAt", .datetime)
                t.add(column: "deletionReason", .text)
            }
            try db.create(table: "partCheck") { t in
                t.column("recordingId", .integer).notNull().references("recording", onDelete: .restrict)
                t.column("partIndex", .integer).notNull()
                t.column("checkedAt", .datetime).notNull()
                t.column("problem", .text)
                t.primaryKey(["recordingId", "partIndex"])
            }
            // What search reads: one row per meeting with its filters, and its folded text in FTS5
            // (same rowid). Folding happens before the text reaches SQLite, so đ/Đ fold to d.
            try db.create(table: "archiveEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("meetingId", .text).notNull().unique()
                t.column("startAt", .datetime).notNull().indexed()
                t.column("endAt", .datetime).notNull()
                t.column("title", .text).notNull()
                t.column("organiserUnitId", .text).notNull()
                t.column("classification", .text).notNull()
                t.column("hallIds", .text).notNull()
                t.column("hallUnitIds", .text).notNull()
                t.column("documentNumbers", .text).notNull()
                t.column("hasRecording", .boolean).notNull()
                t.column("recordedSeconds", .double).notNull()
                t.column("state", .text).notNull()
            }
            try db.execute(sql: """
                CREATE VIRTUAL TABLE archiveSearch USING fts5(title, people, agenda, conclusions, documents, notes, tokenize = 'unicode61 remove_diacritics 2')
                """)
            try ArchiveIndex.rebuild(db)
        }
        return migrator
    }
}
