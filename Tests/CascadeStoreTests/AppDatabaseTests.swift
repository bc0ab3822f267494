import CascadeCore
import CascadeStore
import CascadeTestSupport
import Foundation
import Testing

@Suite struct AppDatabaseTests {
    static let tree = try! UnitTree(
        levels: ["central", "province", "district"],
        units: [
            Unit(id: "tw", name: "Trung ương", level: "central", parentId: nil),
            Unit(id: "dn", name: "Tỉnh ủy Đắk Nông", level: "province", parentId: "tw"),
            Unit(id: "cj", name: "Cư Jút", level: "district", parentId: "dn"),
        ],
        halls: [Hall(id: "h-cj", name: "Hội trường Cư Jút", unitId: "cj", endpoint: .srtCaller(streamId: "h-cj"), capacityKbps: 6000, latencyMs: 500)]
    )

    static func withDatabase(_ body: (AppDatabase, String) throws -> Void) throws {
        let directory = try TestPaths.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try AppDatabase.open(dataDirectory: directory, passwordCost: 4)
        try database.syncTopology(tree)
        try body(database, directory)
    }

    @Test func opensInWALModeWithEveryMigration() throws {
        try Self.withDatabase { database, directory in
            let health = database.health()
            #expect(health.isReachable)
            #expect(health.journalMode == "wal")
            #expect(health.pendingMigrations.isEmpty)
            #expect(FileManager.default.fileExists(atPath: "\(directory)/cascade.sqlite"))
        }
    }

    @Test func topologySyncIsIdempotentAndKeepsRemovedUnitsForHistory() throws {
        try Self.withDatabase { database, _ in
            try database.syncTopology(Self.tree)
            #expect(try database.units().map(\.id) == ["tw", "dn", "cj"])
            #expect(try database.halls().map(\.id) == ["h-cj"])
            try database.createUser(name: "kt-cj", role: .technician, unitId: "cj", password: "a long password 1", actor: "test")
            let smaller = try UnitTree(levels: Self.tree.levels, units: Array(Self.tree.units.prefix(2)), halls: [])
            try database.syncTopology(smaller)
            #expect(try database.units().map(\.id) == ["tw", "dn"])
            #expect(try database.halls().isEmpty)
            #expect(try database.users().first?.unitId == "cj", "the user scoped to a removed unit survives")
        }
    }

    @Test func tokensAreStoredHashedAndResolveToTheirUser() throws {
        try Self.withDatabase { database, directory in
            try database.createUser(name: "vp", role: .secretariat, unitId: "dn", password: "another long one", actor: "test")
            let token = try database.issueToken(forUser: "vp", label: "cli", actor: "test")
            #expect(token.hasPrefix("cas_"))
            let principal = try #require(try database.principal(forToken: token))
            #expect(principal.name == "vp")
            #expect(principal.role == .secretariat)
            #expect(principal.scopeUnitId == "dn")
            #expect(try database.principal(forToken: token + "x") == nil)
            let file = try Data(contentsOf: URL(fileURLWithPath: "\(directory)/cascade.sqlite"))
            let wal = (try? Data(contentsOf: URL(fileURLWithPath: "\(directory)/cascade.sqlite-wal"))) ?? Data()
            #expect(file.range(of: Data(token.utf8)) == nil && wal.range(of: Data(token.utf8)) == nil, "the token itself is never written")
        }
    }

    @Test("a token stops working when it expires or is revoked, and the directory and files are the server's alone")
    func tokensExpireAndAreRevoked() throws {
        try Self.withDatabase { database, directory in
            try database.createUser(name: "kt", role: .technician, unitId: "cj", password: "a long password 2", actor: "test")
            let signIn = try database.issueToken(forUser: "kt", label: "web", actor: "kt", lifetime: AppDatabase.signInTokenLifetime)
            let now = Date()
            #expect(try database.principal(forToken: signIn, at: now.addingTimeInterval(11 * 3600)) != nil)
            #expect(try database.principal(forToken: signIn, at: now.addingTimeInterval(12 * 3600 + 1)) == nil, "12 h sign-in")
            let api = try database.issueToken(forUser: "kt", label: "cli", actor: "kt")
            #expect(try database.principal(forToken: api, at: now.addingTimeInterval(29 * 86400)) != nil)
            #expect(try database.principal(forToken: api, at: now.addingTimeInterval(30 * 86400 + 1)) == nil, "30 days for API tokens")
            #expect(try database.revokeToken(api, actor: "kt"))
            #expect(try database.principal(forToken: api) == nil)
            #expect(try database.principal(forToken: signIn) != nil, "revoking one token leaves the others")
            #expect(try database.auditEntries(limit: 1).first?.action == "token.revoked")
            for (path, mode) in [(directory, 0o700), ("\(directory)/cascade.sqlite", 0o600)] {
                #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == mode, "\(path)")
            }
        }
    }

    @Test func passwordsVerifyWithBcrypt() throws {
        try Self.withDatabase { database, _ in
            try database.createUser(name: "kt", role: .technician, unitId: nil, password: "correct horse battery", actor: "test")
            #expect(try database.verifyPassword(name: "kt", password: "correct horse battery")?.name == "kt")
            #expect(try database.verifyPassword(name: "kt", password: "wrong horse battery") == nil)
            #expect(try database.verifyPassword(name: "nobody", password: "correct horse battery") == nil)
            let actions = try database.auditEntries(limit: 10).map(\.action)
            #expect(actions.contains("login.failed") && actions.contains("login.succeeded"))
        }
    }

    @Test(arguments: [
        ("Bad Name", "a long password 1", StoreErrorCode.invalid),
        ("ok-name", "short", StoreErrorCode.invalid),
        ("dup", "a long password 1", StoreErrorCode.conflict),
    ])
    func badUsersAreRefused(_ name: String, _ password: String, _ code: StoreErrorCode) throws {
        try Self.withDatabase { database, _ in
            try database.createUser(name: "dup", role: .viewer, unitId: nil, password: "a long password 1", actor: "test")
            #expect { try database.createUser(name: name, role: .viewer, unitId: nil, password: password, actor: "test") } throws: { error in
                (error as? StoreError)?.code == code
            }
            #expect(try database.users().count == 1, "nothing is written on a refusal")
        }
    }

    @Test func unknownUnitIsRefused() throws {
        try Self.withDatabase { database, _ in
            #expect(throws: StoreError.self) {
                try database.createUser(name: "x", role: .viewer, unitId: "nowhere", password: "a long password 1", actor: "test")
            }
        }
    }

    @Test func initialAdminIsCreatedOnlyOnce() throws {
        try Self.withDatabase { database, _ in
            let admin = try #require(try database.createInitialAdminIfNeeded())
            #expect(admin.name == "admin")
            #expect(admin.password.count >= 16)
            #expect(try database.createInitialAdminIfNeeded() == nil)
            #expect(try database.verifyPassword(name: "admin", password: admin.password)?.role == .admin)
        }
    }

    @Test func auditLogIsAppendOnly() throws {
        try Self.withDatabase { database, directory in
            try database.appendAudit(actor: "test", action: "something.done", target: "x")
            let entries = try database.auditEntries(limit: 5)
            #expect(entries.first?.action == "something.done")
            // Another connection, as an intruder with the file would have, cannot rewrite it.
            let result = try Command.run("sqlite3", ["\(directory)/cascade.sqlite", "DELETE FROM auditEntry; UPDATE auditEntry SET actor='x';"])
            #expect(result.status != 0)
            #expect(result.errorOutput.contains("append-only"))
            #expect(try database.auditEntries(limit: 1000).count >= entries.count)
            #expect(try database.auditEntries(limit: 5).first?.actor == "test")
        }
    }
}

@Suite struct MeetingStoreTests {
    @Test func subtreeSelectionsFollowTheTree() throws {
        try AppDatabaseTests.withDatabase { database, _ in
            let tree = AppDatabaseTests.tree
            let details = MeetingDetails(title: "Họp", organiserUnitId: "dn", halls: HallSelection(subtreeUnitId: "dn"))
            let start = Date().addingTimeInterval(3 * 86400)
            let context = BookingContext(checker: ConflictChecker(tree: tree), rules: BookingRules(), zone: Zone(TimeZone(identifier: "Asia/Ho_Chi_Minh")!))
            let meeting = try database.bookMeeting(details, hallIds: details.halls.resolve(in: tree), start: start, end: start.addingTimeInterval(3600), actor: "test", context: context)
            #expect(meeting.hallIds == ["h-cj"])
            let grown = try UnitTree(levels: tree.levels, units: tree.units, halls: tree.halls + [
                Hall(id: "h-dn", name: "Hội trường tỉnh", unitId: "dn", endpoint: .srtCaller(streamId: "h-dn"), capacityKbps: 8000, latencyMs: 500),
            ])
            try database.syncTopology(grown)
            let reread = try #require(try database.meeting(MeetingReference(meeting.id)!))
            #expect(Set(reread.hallIds) == ["h-cj", "h-dn"], "a hall added to the subtree joins the meeting")
        }
    }
}
