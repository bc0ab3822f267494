/// The authenticated user behind a request or command.
public struct Principal: Sendable, Hashable, Codable {
    /// Database id of the user.
    public var userId: Int64
    /// Login name.
    public var name: String
    /// The user's role.
    public var role: Role
    /// The unit whose subtree the user is limited to; `nil` means the whole tree.
    public var scopeUnitId: String?

    /// Creates a principal.
    public init(userId: Int64, name: String, role: Role, scopeUnitId: String?) {
        self.userId = userId
        self.name = name
        self.role = role
        self.scopeUnitId = scopeUnitId
    }
}
