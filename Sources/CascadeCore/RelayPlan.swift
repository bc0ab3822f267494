/// How a relay reaches its halls through the unit tree: which units run a hop, which hop feeds which
/// hop, and which halls each hop serves.
///
/// A unit runs a hop where the stream branches: the root always, and any other unit that would
/// otherwise send two or more copies of the stream down its own link (its own halls plus each child
/// branch with halls). Units on a single path are skipped, so a lone commune hall is fed straight
/// from the nearest hop above and no hop ever relays a single copy to a single place. Only the root
/// normalises; every other hop passes the stream through.
public struct RelayPlan: Sendable, Equatable {
    /// One hop.
    public struct Hop: Sendable, Equatable, Codable {
        /// The unit whose site runs it.
        public var unitId: String
        /// The hop it takes the stream from; `nil` for the root.
        public var upstreamUnitId: String?
        /// Halls it sends to directly.
        public var hallIds: [String]
        /// Hops it sends to.
        public var downstreamUnitIds: [String]

        /// Streams this hop sends: one per hall and one per downstream hop.
        public var outputs: Int { hallIds.count + downstreamUnitIds.count }
    }

    /// Every hop, the root first, then breadth first.
    public var hops: [Hop]

    /// The root hop.
    public var root: Hop { hops[0] }

    /// The hop that serves `hallId`.
    public func hop(serving hallId: String) -> Hop? { hops.first { $0.hallIds.contains(hallId) } }

    /// Plans a relay to `hallIds` from the top of the tree that holds them all; `nil` when no unit
    /// at the top holds every one.
    public init?(tree: UnitTree, reaching hallIds: [String]) {
        let root = tree.units.first { unit in
            unit.parentId == nil && hallIds.allSatisfy { tree.hall($0).map { tree.isUnit($0.unitId, within: unit.id) } ?? false }
        }
        guard let root, let plan = try? RelayPlan(tree: tree, rootUnitId: root.id, hallIds: hallIds) else { return nil }
        self = plan
    }

    /// Plans a relay from `rootUnitId` to `hallIds`; every hall must lie in the root's subtree.
    public init(tree: UnitTree, rootUnitId: String, hallIds: [String]) throws(RelayPlanError) {
        guard tree.unit(rootUnitId) != nil else { throw RelayPlanError("unit \(rootUnitId) is not in the tree") }
        var ownHalls: [String: [String]] = [:]
        var demandingChildren: [String: Set<String>] = [:]
        var paths: [String: [String]] = [:]  // hall → its unit and ancestors up to the root, bottom first
        for hallId in hallIds where paths[hallId] == nil {
            guard let hall = tree.hall(hallId) else { throw RelayPlanError("hall \(hallId) is not in the tree") }
            var path = [hall.unitId]
            if hall.unitId != rootUnitId {
                for ancestor in tree.ancestors(of: hall.unitId) {
                    path.append(ancestor)
                    if ancestor == rootUnitId { break }
                }
                guard path.last == rootUnitId else { throw RelayPlanError("hall \(hallId) is not below unit \(rootUnitId)") }
            }
            paths[hallId] = path
            ownHalls[hall.unitId, default: []].append(hallId)
            for (child, parent) in zip(path, path.dropFirst()) {
                if demandingChildren[parent, default: []].insert(child).inserted == false { break }  // the rest of the way is marked
            }
        }
        func isHop(_ unitId: String) -> Bool {
            unitId == rootUnitId || (ownHalls[unitId]?.count ?? 0) + (demandingChildren[unitId]?.count ?? 0) >= 2
        }
        func nearestHop(from path: ArraySlice<String>) -> String { path.first(where: isHop) ?? rootUnitId }

        var hopsById: [String: Hop] = [rootUnitId: Hop(unitId: rootUnitId, upstreamUnitId: nil, hallIds: [], downstreamUnitIds: [])]
        var served: Set<String> = []
        for hallId in hallIds {
            guard let path = paths[hallId], served.insert(hallId).inserted else { continue }
            // Walk up from the hall: each hop on the way is fed by the next hop above it.
            var feeder = nearestHop(from: path[...])
            hopsById[feeder, default: Hop(unitId: feeder, upstreamUnitId: nil, hallIds: [], downstreamUnitIds: [])].hallIds.append(hallId)
            var index = path.firstIndex(of: feeder)!
            while feeder != rootUnitId {
                let upstream = nearestHop(from: path[(index + 1)...])
                if hopsById[feeder]?.upstreamUnitId == nil {
                    hopsById[feeder]?.upstreamUnitId = upstream
                    hopsById[upstream, default: Hop(unitId: upstream, upstreamUnitId: nil, hallIds: [], downstreamUnitIds: [])].downstreamUnitIds.append(feeder)
                }
                feeder = upstream
                index = path.firstIndex(of: feeder)!
            }
        }
        // Breadth first from the root.
        var sorted: [Hop] = []
        var queue = [rootUnitId]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard let hop = hopsById[next] else { continue }
            sorted.append(hop)
            queue.append(contentsOf: hop.downstreamUnitIds)
        }
        hops = sorted
    }
}

/// Why a relay cannot be planned.
public struct RelayPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The reason.
    public var description: String { message }
}
