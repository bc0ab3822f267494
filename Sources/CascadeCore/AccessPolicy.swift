/// Decides whether a principal may perform an action on a unit.
public struct AccessPolicy: Sendable {
    /// The tree used to resolve unit scopes.
    public let tree: UnitTree

    /// Creates a policy over a tree.
    public init(tree: UnitTree) { self.tree = tree }

    /// The outcome of a check.
    public enum Decision: Sendable, Equatable {
        /// Allowed.
        case allowed
        /// Refused, with the reason shown to the caller.
        case denied(String)
    }

    /// Whether `principal` may perform `permission`, optionally on the unit `unitId`.
    public func decide(_ principal: Principal, _ permission: Permission, onUnit unitId: String? = nil) -> Decision {
        guard principal.role.allows(permission) else {
            return .denied("role \(principal.role.rawValue) may not \(permission.phrase)")
        }
        guard let scope = principal.scopeUnitId, let unitId else { return .allowed }
        if tree.isUnit(unitId, within: scope) { return .allowed }
        return .denied("unit \(unitId) is outside the subtree of \(scope) that \(principal.name) is limited to")
    }

    /// Whether `principal` may see the unit `unitId` at all.
    public func canSee(_ principal: Principal, unit unitId: String) -> Bool {
        guard let scope = principal.scopeUnitId else { return true }
        return tree.isUnit(unitId, within: scope)
    }
}

extension Permission {
    /// The action in words, for refusals.
    public var phrase: String {
        switch self {
        case .readTopology: "read units and halls"
        case .readMeetings: "read meetings"
        case .manageMeetings: "book or change meetings"
        case .operateMedia: "start or stop media pipelines"
        case .readWorkers: "read worker processes"
        case .manageUsers: "manage users"
        case .readAudit: "read the audit log"
        case .manageArchive: "hold or delete archived recordings"
        case .reloadConfiguration: "reload the configuration"
        }
    }
}
