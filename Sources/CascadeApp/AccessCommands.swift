import CascadeCore
import CascadeStore
import Foundation

/// `cascade user …` and `cascade token …`: operate directly on the data directory (as the server's
/// user, who alone can read it).
public enum AccessCommands {
    /// Creates a user with a random password and returns that password (shown once).
    public static func addUser(name: String, role: Role, unitId: String?, configuration: Configuration) throws -> String {
        let database = try CascadeServer.openDatabase(configuration)
        if let unitId, configuration.tree.unit(unitId) == nil {
            throw StoreError(.invalid, "unit \(unitId) is not in the configured tree")
        }
        let password = Secrets.password()
        try database.createUser(name: name, role: role, unitId: unitId, password: password, actor: "cli")
        return password
    }

    /// Issues a bearer token for a user and returns it (shown once).
    public static func issueToken(userName: String, label: String, configuration: Configuration) throws -> String {
        let database = try CascadeServer.openDatabase(configuration)
        return try database.issueToken(forUser: userName, label: label, actor: "cli", lifetime: configuration.apiTokenLifetime)
    }

    /// One line per token of `userName`: id, label, state, issued, expiry (never the token itself).
    public static func listTokens(userName: String, configuration: Configuration) throws -> [String] {
        let database = try CascadeServer.openDatabase(configuration)
        let now = Date()
        let format = ISO8601DateFormatter()
        return try database.tokens(ofUser: userName).map { token in
            let state = token.revokedAt != nil ? "revoked" : (token.expiresAt.map { $0 <= now } ?? false) ? "expired" : "live"
            let kind = token.calendarPath.map { "calendar feed \($0)" } ?? token.label
            return "\(token.id)  \(state)  \(kind)  issued \(format.string(from: token.createdAt))  expires \(token.expiresAt.map { format.string(from: $0) } ?? "never")"
        }
    }

    /// Revokes token `id` of `userName`.
    public static func revokeToken(id: Int64, userName: String, configuration: Configuration) throws -> Bool {
        try CascadeServer.openDatabase(configuration).revokeToken(id: id, ofUser: userName, actor: "cli")
    }

    /// Disables a user (revoking every token) or enables them again.
    public static func setDisabled(_ userName: String, _ isDisabled: Bool, configuration: Configuration) throws {
        try CascadeServer.openDatabase(configuration).setUserDisabled(userName, isDisabled, actor: "cli")
    }

    /// Gives a user a new random password, returned to be shown once; their tokens are revoked.
    public static func resetPassword(_ userName: String, configuration: Configuration) throws -> String {
        try CascadeServer.openDatabase(configuration).resetPassword(userName, actor: "cli")
    }
}
