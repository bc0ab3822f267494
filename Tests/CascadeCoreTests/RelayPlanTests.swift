@testable import CascadeCore
import Testing

/// Planning hops from the tree: branching units relay, single paths are skipped, any depth and size.
struct RelayPlanTests {
    typealias T = UnitTreeTests

    /// central → province → districts, one hall at the province and one per district.
    static func province(districts: Int) throws -> UnitTree {
        var units = [T.unit("tw", "central", nil), T.unit("tinh", "province", "tw")]
        var halls = [T.hall("hall-tinh", unit: "tinh")]
        for index in 1...districts {
            units.append(T.unit("h\(index)", "district", "tinh"))
            halls.append(T.hall("hall-h\(index)", unit: "h\(index)"))
        }
        return try UnitTree(levels: ["central", "province", "district"], units: units, halls: halls)
    }

    @Test func theProvinceRelaysToItsDistricts() throws {
        let tree = try Self.province(districts: 3)
        let plan = try RelayPlan(tree: tree, rootUnitId: "tw", hallIds: ["hall-tinh", "hall-h1", "hall-h2", "hall-h3"])
        #expect(plan.hops.map(\.unitId) == ["tw", "tinh"])
        #expect(plan.root.hallIds.isEmpty && plan.root.downstreamUnitIds == ["tinh"])
        #expect(plan.hops[1].upstreamUnitId == "tw")
        #expect(Set(plan.hops[1].hallIds) == ["hall-tinh", "hall-h1", "hall-h2", "hall-h3"])
    }

    @Test func aSingleHallIsFedStraightFromTheRoot() throws {
        let tree = try Self.province(districts: 3)
        let plan = try RelayPlan(tree: tree, rootUnitId: "tw", hallIds: ["hall-h2"])
        #expect(plan.hops.count == 1 && plan.root.hallIds == ["hall-h2"])
    }

    @Test func aDeepChainHopsOnlyWhereItBranches() throws {
        // tw → a → b → c → {d1, d2}: only c branches; a and b carry one copy and run no hop.
        let levels = ["l0", "l1", "l2", "l3", "l4"]
        let units = [T.unit("tw", "l0", nil), T.unit("a", "l1", "tw"), T.unit("b", "l2", "a"), T.unit("c", "l3", "b"),
                     T.unit("d1", "l4", "c"), T.unit("d2", "l4", "c")]
        let tree = try UnitTree(levels: levels, units: units, halls: [T.hall("x1", unit: "d1"), T.hall("x2", unit: "d2"), T.hall("xb", unit: "b")])
        let plan = try RelayPlan(tree: tree, rootUnitId: "tw", hallIds: ["x1", "x2"])
        #expect(plan.hops.map(\.unitId) == ["tw", "c"])
        #expect(plan.hops[1].upstreamUnitId == "tw" && Set(plan.hops[1].hallIds) == ["x1", "x2"])
        // A hall at b makes b branch too (its own hall plus the way down to c).
        let wider = try RelayPlan(tree: tree, rootUnitId: "tw", hallIds: ["x1", "x2", "xb"])
        #expect(wider.hops.map(\.unitId) == ["tw", "b", "c"])
        #expect(wider.hop(serving: "xb")?.unitId == "b" && wider.hops[2].upstreamUnitId == "b")
    }

    @Test func aProvinceWithAHundredCommunes() throws {
        var units = [T.unit("tinh", "province", nil)]
        var halls: [Hall] = []
        for index in 1...100 {
            units.append(T.unit("xa\(index)", "commune", "tinh"))
            halls.append(T.hall("hall-xa\(index)", unit: "xa\(index)"))
        }
        let tree = try UnitTree(levels: ["province", "commune"], units: units, halls: halls)
        let plan = try RelayPlan(tree: tree, rootUnitId: "tinh", hallIds: halls.map(\.id))
        #expect(plan.hops.count == 1 && plan.root.outputs == 100)
    }

    @Test func aCountryOfThirtyFourProvincesAndThreeThousandFourHundredCommunes() throws {
        var units = [T.unit("tw", "central", nil)]
        var halls = [T.hall("hall-tw", unit: "tw")]
        for province in 1...34 {
            units.append(T.unit("p\(province)", "province", "tw"))
            halls.append(T.hall("hall-p\(province)", unit: "p\(province)"))
            for commune in 1...100 {
                units.append(T.unit("p\(province)-x\(commune)", "commune", "p\(province)"))
                halls.append(T.hall("hall-p\(province)-x\(commune)", unit: "p\(province)-x\(commune)"))
            }
        }
        let tree = try UnitTree(levels: ["central", "province", "commune"], units: units, halls: halls)
        let plan = try RelayPlan(tree: tree, rootUnitId: "tw", hallIds: halls.map(\.id))
        #expect(plan.hops.count == 35)
        #expect(plan.root.hallIds == ["hall-tw"] && plan.root.downstreamUnitIds.count == 34)
        #expect(plan.hops.dropFirst().allSatisfy { $0.upstreamUnitId == "tw" && $0.outputs == 101 })
        #expect(plan.hops.reduce(0) { $0 + $1.hallIds.count } == halls.count, "every hall served exactly once")
    }

    @Test func hallsOutsideTheRootOrUnknownAreRefused() throws {
        let tree = try Self.province(districts: 2)
        #expect(throws: RelayPlanError.self) { try RelayPlan(tree: tree, rootUnitId: "h1", hallIds: ["hall-h2"]) }
        #expect(throws: RelayPlanError.self) { try RelayPlan(tree: tree, rootUnitId: "tw", hallIds: ["hall-nowhere"]) }
        #expect(throws: RelayPlanError.self) { try RelayPlan(tree: tree, rootUnitId: "nowhere", hallIds: []) }
    }
}
