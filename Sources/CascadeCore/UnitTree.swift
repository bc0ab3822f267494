/// The validated tree of units and their halls.
///
/// Built only through ``init(levels:units:halls:)``, which rejects every inconsistency,
/// so code holding a `UnitTree` may rely on parents existing and on the absence of cycles.
public struct UnitTree: Sendable {
    /// Level names from the top of the tree down, e.g. `["central", "province", "district"]`.
    public let levels: [String]
    /// Units in configuration order.
    public let units: [Unit]
    /// Halls in configuration order.
    public let halls: [Hall]
    /// The one unit without a parent (the central site), wherever it is listed.
    public let rootUnitId: String
    private let unitsById: [String: Unit]
    private let childrenById: [String: [String]]
    private let hallsById: [String: Hall]

    /// Validates and builds the tree; throws the first ``TopologyError`` found.
    public init(levels: [String], units: [Unit], halls: [Hall]) throws(TopologyError) {
        try Self.validate(levels: levels, units: units, halls: halls)
        self.levels = levels
        self.units = units
        self.halls = halls
        // validate(...) guarantees exactly one unit without a parent.
        rootUnitId = units.first { $0.parentId == nil }?.id ?? ""
        var byId: [String: Unit] = [:]
        var children: [String: [String]] = [:]
        for unit in units {
            byId[unit.id] = unit
            if let parent = unit.parentId { children[parent, default: []].append(unit.id) }
        }
        unitsById = byId
        childrenById = children
        hallsById = Dictionary(halls.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The unit with this id, if any.
    public func unit(_ id: String) -> Unit? { unitsById[id] }

    /// The hall with this id, if any.
    public func hall(_ id: String) -> Hall? { hallsById[id] }

    /// The unit's parent, grandparent, … up to the root.
    public func ancestors(of unitId: String) -> [String] {
        var result: [String] = []
        var current = unitsById[unitId]?.parentId
        while let id = current, result.count < unitsById.count {
            result.append(id)
            current = unitsById[id]?.parentId
        }
        return result
    }

    /// The ids of a unit and all units below it.
    public func subtree(of unitId: String) -> Set<String> {
        var result: Set<String> = []
        var pending = [unitId]
        while let next = pending.popLast() {
            guard unitsById[next] != nil, result.insert(next).inserted else { continue }
            pending.append(contentsOf: childrenById[next] ?? [])
        }
        return result
    }

    /// Whether `unitId` is `ancestorId` or lies below it.
    public func isUnit(_ unitId: String, within ancestorId: String) -> Bool {
        var current: String? = unitId
        while let id = current {
            if id == ancestorId { return true }
            current = unitsById[id]?.parentId
        }
        return false
    }

    private static func validate(levels: [String], units: [Unit], halls: [Hall]) throws(TopologyError) {
        if levels.isEmpty { throw TopologyError(entry: "levels", problem: "at least one level name is required") }
        var seenLevels: Set<String> = []
        for level in levels where !seenLevels.insert(level).inserted {
            throw TopologyError(entry: "levels", problem: "level \"\(level)\" is listed twice")
        }
        var byId: [String: Unit] = [:]
        for unit in units {
            let entry = "unit \"\(unit.id)\""
            if !Identifier.isValid(unit.id) {
                throw TopologyError(entry: entry, problem: Identifier.rule)
            }
            if byId[unit.id] != nil { throw TopologyError(entry: entry, problem: "duplicate id") }
            if let uplink = unit.uplinkKbps, uplink <= 0 {
                throw TopologyError(entry: entry, problem: "uplinkKbps must be a positive number of kbit/s, got \(uplink)")
            }
            if let budget = unit.relayBudget, budget < 0 {
                throw TopologyError(entry: entry, problem: "relayBudget must not be negative, got \(budget)")
            }
            if unit.name.isBlank { throw TopologyError(entry: entry, problem: "name is empty") }
            if !levels.contains(unit.level) {
                throw TopologyError(entry: entry, problem: "unknown level \"\(unit.level)\" (levels are \(levels.joined(separator: ", ")))")
            }
            byId[unit.id] = unit
        }
        let roots = units.filter { $0.parentId == nil }
        if units.isEmpty { throw TopologyError(entry: "units", problem: "at least one unit is required") }
        if roots.count > 1 {
            throw TopologyError(entry: "unit \"\(roots[1].id)\"", problem: "has no parent, but \"\(roots[0].id)\" is already the root")
        }
        for unit in units {
            guard let parentId = unit.parentId else { continue }
            let entry = "unit \"\(unit.id)\""
            guard let parent = byId[parentId] else {
                throw TopologyError(entry: entry, problem: "parent \"\(parentId)\" is not a unit")
            }
            let parentDepth = levels.firstIndex(of: parent.level) ?? 0
            let depth = levels.firstIndex(of: unit.level) ?? 0
            if depth <= parentDepth {
                throw TopologyError(entry: entry, problem: "level \"\(unit.level)\" is not below its parent's level \"\(parent.level)\"")
            }
        }
        try rejectCycles(in: byId)
        var hallIds: Set<String> = []
        for hall in halls {
            let entry = "hall \"\(hall.id)\""
            if !Identifier.isValid(hall.id) { throw TopologyError(entry: entry, problem: Identifier.rule) }
            if !hallIds.insert(hall.id).inserted { throw TopologyError(entry: entry, problem: "duplicate id") }
            if hall.name.isBlank { throw TopologyError(entry: entry, problem: "name is empty") }
            if byId[hall.unitId] == nil { throw TopologyError(entry: entry, problem: "unit \"\(hall.unitId)\" is not a unit") }
            if hall.capacityKbps <= 0 {
                throw TopologyError(entry: entry, problem: "capacityKbps must be a positive number of kbit/s, got \(hall.capacityKbps)")
            }
            if hall.latencyMs < 20 || hall.latencyMs > 8000 {
                throw TopologyError(entry: entry, problem: "latencyMs must be between 20 and 8000, got \(hall.latencyMs)")
            }
            try validate(endpoint: hall.endpoint, entry: entry)
            if let passphrase = hall.srtPassphrase {
                if !hall.endpoint.isSRT { throw TopologyError(entry: entry, problem: "srtPassphrase is only for SRT endpoints") }
                if !(10...79).contains(passphrase.utf8.count) {
                    throw TopologyError(entry: entry, problem: "srtPassphrase must be 10–79 characters (SRT's rule), got \(passphrase.utf8.count)")
                }
            }
        }
    }

    private static func rejectCycles(in byId: [String: Unit]) throws(TopologyError) {
        for start in byId.keys.sorted() {
            var visited: Set<String> = [start]
            var current = byId[start]?.parentId
            while let id = current {
                if !visited.insert(id).inserted {
                    throw TopologyError(entry: "unit \"\(start)\"", problem: "its parents form a cycle through \"\(id)\"")
                }
                current = byId[id]?.parentId
            }
        }
    }

    private static func validate(endpoint: HallEndpoint, entry: String) throws(TopologyError) {
        switch endpoint {
        case .srtCaller(let streamId):
            if streamId.isBlank || streamId.utf8.count > 512 {
                throw TopologyError(entry: entry, problem: "endpoint.streamId must be 1–512 characters")
            }
        case .srtListener(let host, let port), .udpMulticast(let host, let port):
            if host.isBlank { throw TopologyError(entry: entry, problem: "endpoint host is empty") }
            if !(1...65535).contains(port) {
                throw TopologyError(entry: entry, problem: "endpoint.port must be 1–65535, got \(port)")
            }
        }
    }
}

extension String {
    /// Whether the string holds nothing but whitespace.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
