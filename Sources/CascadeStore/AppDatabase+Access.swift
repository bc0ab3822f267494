import CascadeCore
import Foundation
import GRDB
import HummingbirdBcrypt

/// A user as listed to administrators (never with the password hash).
public struct UserInfo: Sendable, Codable, Equatable {
    /// Database id.
    public var id: Int64
    /// Login name.
    public var name: String
    /// Role.
    public var role: Role
    /// The unit subtree the user is limited to, if any.
    public var unitId: String?
    /// When the user was created.
    public var createdAt: Date
    /// A disabled user cannot sign in and none of their tokens work.
    public var isDisabled = false
}

extension AppDatabase {
    /// Creates a user with a bcrypt-hashed password. The unit, if given, must be an active unit.
    @discardableResult
    public func createUser(name: String, role: Role, unitId: String?, password: String, actor: String) throws(StoreError) -> UserInfo {
        guard Identifier.isValid(name.lowercased()), name.count <= 64 else {
            throw StoreError(.invalid, "user name \"\(name)\": \(Identifier.rule)")
        }
        guard password.count >= 12 else { throw StoreError(.invalid, "a password needs at least 12 characters") }
        let hash = Bcrypt.hash(password, cost: passwordCost)
        return try write { db in
            if try UserRecord.filter(UserRecord.Columns.name == name).fetchCount(db) > 0 {
                throw StoreError(.conflict, "a user named \(name) already exists")
            }
            if let unitId, try UnitRecord.filter(UnitRecord.Columns.id == unitId && UnitRecord.Columns.isActive).fetchCount(db) == 0 {
                throw StoreError(.invalid, "unit \(unitId) is not a unit of the configured tree")
            }
            var record = UserRecord(id: nil, name: name, role: role.rawValue, scopeUnitId: unitId, passwordHash: hash, createdAt: Date(), isDisabled: false)
            try record.insert(db)
            try AuditEntryRecord.append(
                db, actor: actor, action: "user.created", target: name,
                details: "role \(role.rawValue)" + (unitId.map { ", limited to unit \($0)" } ?? "")
            )
            return UserInfo(id: record.id ?? 0, name: name, role: role, unitId: unitId, createdAt: record.createdAt)
        }
    }

    /// On an empty database, creates the administrator `admin` with a random password and returns
    /// it (to be shown once); returns `nil` when any user exists.
    public func createInitialAdminIfNeeded() throws(StoreError) -> (name: String, password: String)? {
        let password = Secrets.password()
        let hash = Bcrypt.hash(password, cost: passwordCost)
        return try write { db in
            guard try UserRecord.fetchCount(db) == 0 else { return nil }
            var record = UserRecord(id: nil, name: "admin", role: Role.admin.rawValue, scopeUnitId: nil, passwordHash: hash, createdAt: Date(), isDisabled: false)
            try record.insert(db)
            try AuditEntryRecord.append(db, actor: "system", action: "user.created", target: "admin", details: "initial administrator, random password shown once")
            return ("admin", password)
        }
    }

    /// All users, by name.
    public func users() throws(StoreError) -> [UserInfo] {
        try read { db in
            try UserRecord.order(UserRecord.Columns.name).fetchAll(db).compactMap(\.info)
        }
    }

    /// How long an API token (`cascade token issue`) lives.
    public static let apiTokenLifetime: TimeInterval = 30 * 86_400
    /// How long a sign-in token (the web UI, `POST /auth/token`) lives.
    public static let signInTokenLifetime: TimeInterval = 12 * 3_600

    /// Issues a new bearer token for `userName` that expires after `lifetime` and returns it; only its hash is stored.
    public func issueToken(forUser userName: String, label: String, actor: String, lifetime: TimeInterval = AppDatabase.apiTokenLifetime) throws(StoreError) -> String {
        let token = Secrets.token()
        try write { db in
            guard let user = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db), let userId = user.id else {
                throw StoreError(.notFound, "no user named \(userName)")
            }
            guard !user.isDisabled else { throw StoreError(.invalid, "user \(userName) is disabled") }
            let now = Date()
            var record = AccessTokenRecord(id: nil, userId: userId, tokenHash: Secrets.tokenHash(token), label: label, createdAt: now, expiresAt: now.addingTimeInterval(lifetime))
            try record.insert(db)
            try AuditEntryRecord.append(db, actor: actor, action: "token.issued", target: user.name, details: "label \(label), expires \(ISO8601DateFormatter().string(from: now.addingTimeInterval(lifetime)))")
        }
        return token
    }

    /// The user a bearer token belongs to, or `nil` for an unknown, revoked, expired or disabled one,
    /// or a calendar feed token (which reads its calendar and nothing else).
    public func principal(forToken token: String, at now: Date = Date()) throws(StoreError) -> Principal? {
        let hash = Secrets.tokenHash(token)
        return try read { db in
            let sql = """
                SELECT user.* FROM accessToken JOIN user ON user.id = accessToken.userId
                WHERE accessToken.tokenHash = ? AND accessToken.revokedAt IS NULL AND user.isDisabled = 0
                  AND accessToken.expiresAt > ? AND accessToken.calendarPath IS NULL
                """
            return try UserRecord.fetchOne(db, sql: sql, arguments: [hash, now])?.principal
        }
    }

    /// Revokes the token (signing out): it stops working at once. Returns whether it was live.
    @discardableResult
    public func revokeToken(_ token: String, actor: String) throws(StoreError) -> Bool {
        let hash = Secrets.tokenHash(token)
        return try write { db in
            guard var record = try AccessTokenRecord.filter(AccessTokenRecord.Columns.tokenHash == hash).fetchOne(db), record.revokedAt == nil else { return false }
            record.revokedAt = Date()
            try record.update(db)
            try AuditEntryRecord.append(db, actor: actor, action: "token.revoked", target: actor, details: "label \(record.label)")
            return true
        }
    }

    /// Password checks run here, two at a time and at a low CPU priority: bcrypt at cost 12 takes about
    /// a quarter of a second of CPU, which must never hold the threads that serve every other request
    /// (measured before: twenty sign-ins at once held every other request for most of a second).
    /// At most 16 wait (four seconds of hashing): a burst from many addresses is refused with 503 at
    /// once instead of queueing minutes of work ahead of the people who type their password next.
    private static let passwordChecks = LowPriorityWorkers(count: 2, name: "cascade-password", nice: 15, waitingLimit: passwordQueueLimit)

    /// How many password checks may wait for a thread.
    public static let passwordQueueLimit = 16

    /// ``verifyPassword(name:password:from:)`` on the password-check queue.
    /// `isUrgent` puts it ahead of checks from clients with recent failures.
    public func verifyPasswordInBackground(name: String, password: String, from address: String? = nil, isUrgent: Bool = false) async throws(StoreError) -> Principal? {
        try await onPasswordQueue(isUrgent: isUrgent) { () throws(StoreError) in try self.verifyPassword(name: name, password: password, from: address) }
    }

    /// Runs `body` (which hashes or checks a password) on the password-check threads; throws
    /// ``StoreErrorCode/busy`` without running it when too many checks are waiting.
    public func onPasswordQueue<Value: Sendable>(isUrgent: Bool = false, _ body: @escaping @Sendable () throws(StoreError) -> Value) async throws(StoreError) -> Value {
        let result: Result<Value, StoreError> = await withCheckedContinuation { continuation in
            let accepted = Self.passwordChecks.submit(isUrgent: isUrgent) { continuation.resume(returning: Result(catching: body)) }
            if !accepted { continuation.resume(returning: .failure(StoreError(.busy, "too many password checks are waiting; try again in a few seconds"))) }
        }
        return try result.get()
    }

    /// Checks a name and password; on success returns the user, on failure `nil`. Both are audited,
    /// with the client's address when known (the real client's, behind a trusted proxy).
    public func verifyPassword(name: String, password: String, from address: String? = nil) throws(StoreError) -> Principal? {
        let record = try read { db in try UserRecord.filter(UserRecord.Columns.name == name).fetchOne(db) }
        let storedHash = record?.passwordHash ?? unknownUserHash
        let matches = Bcrypt.verify(password, hash: storedHash) && record != nil && record?.isDisabled == false
        // An unknown name is recorded only if it looks like a user name: a password typed into the
        // name field must not end up in the audit log.
        let shownName = record?.name ?? (Identifier.isValid(name.lowercased()) && name.count <= 64 ? name : "(not a user name)")
        try appendAudit(actor: shownName, action: matches ? "login.succeeded" : "login.failed", target: nil, details: address.map { "from \($0)" })
        return matches ? record?.principal : nil
    }
}
