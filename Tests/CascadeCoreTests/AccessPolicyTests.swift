import CascadeCore
import Testing

@Suite struct AccessPolicyTests {
    let tree = try! UnitTree(
        levels: ["central", "province", "district"],
        units: [
            Unit(id: "tw", name: "TW", level: "central", parentId: nil),
            Unit(id: "dn", name: "DN", level: "province", parentId: "tw"),
            Unit(id: "cj", name: "CJ", level: "district", parentId: "dn"),
            Unit(id: "other", name: "Other", level: "province", parentId: "tw"),
        ],
        halls: []
    )

    static let table: [(Role, Permission, Bool)] = [
        (.admin, .manageUsers, true), (.secretariat, .manageUsers, false), (.technician, .manageUsers, false), (.viewer, .manageUsers, false),
        (.secretariat, .manageMeetings, true), (.technician, .manageMeetings, false), (.viewer, .manageMeetings, false),
        (.technician, .operateMedia, true), (.secretariat, .operateMedia, false), (.viewer, .operateMedia, false),
        (.viewer, .readTopology, true), (.viewer, .readAudit, false), (.admin, .readAudit, true),
    ]

    @Test(arguments: table)
    func roleDecides(_ role: Role, _ permission: Permission, _ allowed: Bool) {
        let principal = Principal(userId: 1, name: "u", role: role, scopeUnitId: nil)
        #expect((AccessPolicy(tree: tree).decide(principal, permission) == .allowed) == allowed)
    }

    @Test func scopeLimitsToSubtree() {
        let policy = AccessPolicy(tree: tree)
        let technician = Principal(userId: 2, name: "kt", role: .technician, scopeUnitId: "dn")
        #expect(policy.decide(technician, .operateMedia, onUnit: "cj") == .allowed)
        #expect(policy.decide(technician, .operateMedia, onUnit: "dn") == .allowed)
        guard case .denied(let reason) = policy.decide(technician, .operateMedia, onUnit: "other") else {
            Issue.record("a unit outside the scope was allowed")
            return
        }
        #expect(reason.contains("outside the subtree of dn"))
        #expect(!policy.canSee(technician, unit: "tw"))
        #expect(policy.canSee(technician, unit: "cj"))
    }
}
