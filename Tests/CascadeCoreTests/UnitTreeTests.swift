import CascadeCore
import Testing

@Suite struct UnitTreeTests {
    static let levels = ["central", "province", "district"]

    static func unit(_ id: String, _ level: String, _ parent: String?) -> CascadeCore.Unit {
        Unit(id: id, name: "Unit \(id)", level: level, parentId: parent)
    }

    static func hall(_ id: String, unit: String, capacity: Int = 4000) -> Hall {
        Hall(id: id, name: "Hall \(id)", unitId: unit, endpoint: .srtCaller(streamId: id), capacityKbps: capacity, latencyMs: 500)
    }

    static let validUnits = [
        unit("tw", "central", nil), unit("dn", "province", "tw"), unit("cj", "district", "dn"), unit("dm", "district", "dn"),
    ]

    @Test func validTreeAnswersSubtreeQuestions() throws {
        let tree = try UnitTree(levels: Self.levels, units: Self.validUnits, halls: [Self.hall("h-cj", unit: "cj")])
        #expect(tree.subtree(of: "dn") == ["dn", "cj", "dm"])
        #expect(tree.subtree(of: "cj") == ["cj"])
        #expect(tree.isUnit("cj", within: "tw"))
        #expect(!tree.isUnit("dn", within: "cj"))
        #expect(tree.hall("h-cj")?.unitId == "cj")
    }

    @Test func anyDepthWorks() throws {
        let levels = (0..<6).map { "level-\($0)" }
        let units = (0..<6).map { Self.unit("u\($0)", "level-\($0)", $0 == 0 ? nil : "u\($0 - 1)") }
        let tree = try UnitTree(levels: levels, units: units, halls: [])
        #expect(tree.subtree(of: "u0").count == 6)
        #expect(tree.isUnit("u5", within: "u1"))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var units: [CascadeCore.Unit]
        var halls: [Hall]
        var entry: String
        var problem: String
        var testDescription: String { name }
    }

    static let invalidCases: [Case] = [
        Case(name: "unknown parent", units: [unit("tw", "central", nil), unit("dn", "province", "nowhere")], halls: [],
             entry: "unit \"dn\"", problem: "parent \"nowhere\" is not a unit"),
        Case(name: "duplicate id", units: [unit("tw", "central", nil), unit("dn", "province", "tw"), unit("dn", "province", "tw")], halls: [],
             entry: "unit \"dn\"", problem: "duplicate id"),
        Case(name: "cycle", units: [unit("tw", "central", nil), unit("a", "province", "b"), unit("b", "district", "a")], halls: [],
             entry: "unit \"", problem: "not below its parent"),
        Case(name: "unknown level", units: [unit("tw", "central", nil), unit("dn", "state", "tw")], halls: [],
             entry: "unit \"dn\"", problem: "unknown level \"state\""),
        Case(name: "two roots", units: [unit("tw", "central", nil), unit("tw2", "central", nil)], halls: [],
             entry: "unit \"tw2\"", problem: "already the root"),
        Case(name: "bad id", units: [unit("Tỉnh", "central", nil)], halls: [], entry: "unit \"Tỉnh\"", problem: "id must be"),
        Case(name: "negative capacity", units: validUnits, halls: [hall("h1", unit: "cj", capacity: -5)],
             entry: "hall \"h1\"", problem: "capacityKbps must be a positive"),
        Case(name: "hall of unknown unit", units: validUnits, halls: [hall("h1", unit: "xx")],
             entry: "hall \"h1\"", problem: "unit \"xx\" is not a unit"),
        Case(name: "duplicate hall", units: validUnits, halls: [hall("h1", unit: "cj"), hall("h1", unit: "dm")],
             entry: "hall \"h1\"", problem: "duplicate id"),
    ]

    @Test(arguments: invalidCases)
    func invalidTreeNamesEntryAndProblem(_ testCase: Case) {
        #expect {
            _ = try UnitTree(levels: Self.levels, units: testCase.units, halls: testCase.halls)
        } throws: { error in
            guard let error = error as? TopologyError else { return false }
            return error.entry.hasPrefix(testCase.entry) && error.problem.contains(testCase.problem)
        }
    }

    @Test func cycleAmongSameLevelUnitsIsFound() {
        // A cycle whose members all sit on one level passes the level check only if levels allow it;
        // with a single repeated level the cycle check itself must fire.
        let units = [Self.unit("tw", "central", nil), Self.unit("a", "province", "tw")]
        let looped = units + [Unit(id: "b", name: "B", level: "district", parentId: "c"), Unit(id: "c", name: "C", level: "district", parentId: "b")]
        #expect(throws: TopologyError.self) { _ = try UnitTree(levels: Self.levels, units: looped, halls: []) }
    }
}
