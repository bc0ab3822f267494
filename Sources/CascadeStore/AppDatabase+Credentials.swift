import CascadeCore
import Foundation
import GRDB
import HummingbirdBcrypt

/// A token as its owner and administrators see it: never the token itself, which only its holder has.
public struct TokenInfo: Sendable, Codable, Equatable {
    /// Database id, used to revoke it.
    public var id: Int64
    /// The label given when it was issued ("web", "cli", …).
    public var label: String
    /// When it was issued.
    public var createdAt: Date
    /// When it stops working on its own.
    public var expiresAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?
    /// For a calendar feed token: the one calendar it reads.
    public var calendarPath: String?
}

/// Tokens people can list and revoke, users an administrator can disable, passwords that can be
/// changed and reset, and calendar feed tokens that read one calendar only.
extension AppDatabase {
    /// How long a calendar feed token lives unless revoked.
    public static let calendarFeedLifetime: TimeInterval = 366 * 86_400

    /// The user named `name`, if any.
    public func user(named name: String) throws(StoreError) -> UserInfo? {
        try read { db in try UserRecord.filter(UserRecord.Columns.name == name).fetchOne(db)?.info }
    }

    /// Every token of `userName`, newest first.
    public func tokens(ofUser userName: String) throws(StoreError) -> [TokenInfo] {
        try read { db in
            guard let userId = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db)?.id else {
                throw StoreError(.notFound, "no user named \(userName)")
            }
            return try AccessTokenRecord.filter(AccessTokenRecord.Columns.userId == userId)
                .order(AccessTokenRecord.Columns.id.desc).fetchAll(db).map(\.info)
        }
    }

    /// Revokes token `id` of `userName`; it stops working at once. Returns whether it was live.
    @discardableResult
    public func revokeToken(id: Int64, ofUser userName: String, actor: String) throws(StoreError) -> Bool {
        try write { db in
            guard let userId = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db)?.id,
                  var record = try AccessTokenRecord.filter(AccessTokenRecord.Columns.id == id && AccessTokenRecord.Columns.userId == userId).fetchOne(db) else {
                throw StoreError(.notFound, "user \(userName) has no token \(id)")
            }
            guard record.revokedAt == nil else { return false }
            record.revokedAt = Date()
            try record.update(db)
            try AuditEntryRecord.append(db, actor: actor, action: "token.revoked", target: userName, details: "token \(id), label \(record.label)")
            return true
        }
    }

    /// Disables (or enables again) a user. Disabling revokes every token at once: none works again,
    /// even when the user is enabled later.
    public func setUserDisabled(_ userName: String, _ isDisabled: Bool, actor: String) throws(StoreError) {
        try write { db in
            guard var user = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db), let userId = user.id else {
                throw StoreError(.notFound, "no user named \(userName)")
            }
            user.isDisabled = isDisabled
            try user.update(db)
            if isDisabled { try Self.revokeAllTokens(db, userId: userId) }
            try AuditEntryRecord.append(db, actor: actor, action: isDisabled ? "user.disabled" : "user.enabled", target: userName, details: nil)
        }
    }

    /// Changes a user's own password; the current one must be given. Every other token of theirs is
    /// revoked (a password changed after a leak also ends the sessions the leak opened); the token the
    /// change was made with, if given, keeps working.
    public func changePassword(_ userName: String, current: String, new: String, keepingToken: String? = nil) throws(StoreError) {
        guard new.count >= 12 else { throw StoreError(.invalid, "a password needs at least 12 characters") }
        let stored = try read { db in try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db) }
        guard let stored, Bcrypt.verify(current, hash: stored.passwordHash) else {
            try appendAudit(actor: userName, action: "password.change-refused", target: userName, details: "wrong current password")
            throw StoreError(.invalid, "the current password is wrong")
        }
        let hash = Bcrypt.hash(new, cost: passwordCost)
        try write { db in
            guard var user = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db) else { throw StoreError(.notFound, "no user named \(userName)") }
            user.passwordHash = hash
            try user.update(db)
            if let userId = user.id {
                let kept = keepingToken.map(Secrets.tokenHash) ?? ""
                try AccessTokenRecord.filter(AccessTokenRecord.Columns.userId == userId && AccessTokenRecord.Columns.revokedAt == nil
                                             && AccessTokenRecord.Columns.tokenHash != kept)
                    .updateAll(db, AccessTokenRecord.Columns.revokedAt.set(to: Date()))
            }
            try AuditEntryRecord.append(db, actor: userName, action: "password.changed", target: userName, details: "other tokens revoked")
        }
    }

    /// Gives a user a new random password (returned, to be shown once) and revokes all their tokens.
    public func resetPassword(_ userName: String, actor: String) throws(StoreError) -> String {
        let password = Secrets.password()
        let hash = Bcrypt.hash(password, cost: passwordCost)
        try write { db in
            guard var user = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db), let userId = user.id else {
                throw StoreError(.notFound, "no user named \(userName)")
            }
            user.passwordHash = hash
            try user.update(db)
            try Self.revokeAllTokens(db, userId: userId)
            try AuditEntryRecord.append(db, actor: actor, action: "password.reset", target: userName, details: "all tokens revoked")
        }
        return password
    }

    /// Issues a token that reads the calendar at `calendarPath` (and nothing else) and returns it.
    public func issueCalendarFeedToken(forUser userName: String, calendarPath: String, actor: String) throws(StoreError) -> String {
        try issueReadToken(forUser: userName, path: calendarPath, label: "calendar feed", lifetime: Self.calendarFeedLifetime, actor: actor)
    }

    /// Issues a token that reads `path` and nothing else (a calendar feed, a player link): it is never
    /// a bearer token, is listed among the user's tokens, and stops when revoked or the user is disabled.
    func issueReadToken(forUser userName: String, path: String, label: String, lifetime: TimeInterval, actor: String) throws(StoreError) -> String {
        let token = Secrets.token()
        try write { db in
            guard let user = try UserRecord.filter(UserRecord.Columns.name == userName).fetchOne(db), let userId = user.id, !user.isDisabled else {
                throw StoreError(.notFound, "no active user named \(userName)")
            }
            let now = Date()
            var record = AccessTokenRecord(id: nil, userId: userId, tokenHash: Secrets.tokenHash(token), label: label, createdAt: now,
                                           expiresAt: now.addingTimeInterval(lifetime), calendarPath: path)
            try record.insert(db)
            try AuditEntryRecord.append(db, actor: actor, action: "token.issued", target: userName, details: "\(label) \(path)")
        }
        return token
    }

    /// The user a calendar feed token belongs to, if it is live and made for exactly `calendarPath`.
    public func principal(forCalendarFeedToken token: String, calendarPath: String, at now: Date = Date()) throws(StoreError) -> Principal? {
        let hash = Secrets.tokenHash(token)
        return try read { db in
            let sql = """
                SELECT user.* FROM accessToken JOIN user ON user.id = accessToken.userId
                WHERE accessToken.tokenHash = ? AND accessToken.revokedAt IS NULL AND user.isDisabled = 0
                  AND accessToken.expiresAt > ? AND accessToken.calendarPath = ?
                """
            return try UserRecord.fetchOne(db, sql: sql, arguments: [hash, now, calendarPath])?.principal
        }
    }

    private static func revokeAllTokens(_ db: Database, userId: Int64) throws {
        try AccessTokenRecord.filter(AccessTokenRecord.Columns.userId == userId && AccessTokenRecord.Columns.revokedAt == nil)
            .updateAll(db, AccessTokenRecord.Columns.revokedAt.set(to: Date()))
    }
}

extension AccessTokenRecord {
    var info: TokenInfo {
        TokenInfo(id: id ?? 0, label: label, createdAt: createdAt, expiresAt: expiresAt, revokedAt: revokedAt, calendarPath: calendarPath)
    }
}
