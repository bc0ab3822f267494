import CascadeCore
import CascadeStore

/// `cascade user add` and `cascade token issue`: operate directly on the data directory.
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
        return try database.issueToken(forUser: userName, label: label, actor: "cli")
    }
}
