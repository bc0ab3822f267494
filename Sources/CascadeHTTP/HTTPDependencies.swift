import CascadeCore
import CascadeEngine
import CascadeStore

/// What the routes need, wired by the composition root.
public struct HTTPDependencies: Sendable {
    /// The store.
    public var database: AppDatabase
    /// The configured unit tree and the rules over it.
    public var policy: AccessPolicy
    /// The worker supervisor.
    public var supervisor: Supervisor
    /// GStreamer elements /healthz requires (Cascade's own list plus any the configuration adds).
    public var requiredElements: [String]

    /// Creates the dependencies.
    public init(database: AppDatabase, policy: AccessPolicy, supervisor: Supervisor, requiredElements: [String]) {
        self.database = database
        self.policy = policy
        self.supervisor = supervisor
        self.requiredElements = requiredElements
    }

    /// Throws 403 unless `principal` may perform `permission` (on `unitId`, when given).
    func authorize(_ principal: Principal, _ permission: Permission, onUnit unitId: String? = nil) throws {
        if case .denied(let reason) = policy.decide(principal, permission, onUnit: unitId) {
            throw Problem.forbidden(reason)
        }
    }
}
