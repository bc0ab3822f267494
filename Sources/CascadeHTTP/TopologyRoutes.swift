import CascadeCore
import Hummingbird

/// `/api/v1/units` and `/api/v1/halls`: the configured tree as the caller may see it.
struct TopologyRoutes {
    let dependencies: HTTPDependencies

    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("topology/reload") { _, context in
            // The tree is everyone's: only an administrator of the whole of it may replace it.
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .reloadConfiguration, onUnit: dependencies.policy.tree.rootUnitId)
            guard let reload = dependencies.reloadTopology else { throw Problem.conflict("this server was not started from a configuration file") }
            let counts: TopologyCounts
            do {
                counts = try await reload()
            } catch let error as ConfigurationProblem {
                throw Problem.unprocessable(error.description)
            }
            try dependencies.database.appendAudit(actor: principal.name, action: "configuration.reloaded", target: nil,
                                                  details: "\(counts.units) units, \(counts.halls) halls, \(counts.feeds) feeds")
            return try JSONResponse.make(counts)
        }
        group.get("units") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readTopology)
            let visible = try dependencies.database.units().filter { dependencies.policy.canSee(principal, unit: $0.id) }
            return try JSONResponse.make(visible)
        }
        group.get("units/:id") { _, context in
            let principal = try context.requirePrincipal()
            let id = try context.parameters.require("id")
            guard let unit = try dependencies.database.units().first(where: { $0.id == id }) else {
                throw Problem.notFound("no unit \(id)")
            }
            try dependencies.authorize(principal, .readTopology, onUnit: unit.id)
            return try JSONResponse.make(unit)
        }
        group.get("halls") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readTopology)
            let visible = try dependencies.database.halls().filter { dependencies.policy.canSee(principal, unit: $0.unitId) }
            return try JSONResponse.make(visible.map(HallView.init))
        }
        group.get("halls/:id") { _, context in
            let principal = try context.requirePrincipal()
            let id = try context.parameters.require("id")
            guard let hall = try dependencies.database.halls().first(where: { $0.id == id }) else {
                throw Problem.notFound("no hall \(id)")
            }
            try dependencies.authorize(principal, .readTopology, onUnit: hall.unitId)
            return try JSONResponse.make(HallView(hall))
        }
    }
}

/// A hall as the API shows it: the endpoint flattened into plain fields.
struct HallView: Encodable {
    var id: String
    var name: String
    var unitId: String
    var capacityKbps: Int
    var latencyMs: Int
    var endpoint: Endpoint

    struct Endpoint: Encodable {
        var mode: String
        var streamId: String?
        var host: String?
        var port: Int?
    }

    init(_ hall: Hall) {
        id = hall.id
        name = hall.name
        unitId = hall.unitId
        capacityKbps = hall.capacityKbps
        latencyMs = hall.latencyMs
        switch hall.endpoint {
        case .srtCaller(let streamId): endpoint = Endpoint(mode: hall.endpoint.mode, streamId: streamId)
        case .srtListener(let host, let port), .udpMulticast(let host, let port):
            endpoint = Endpoint(mode: hall.endpoint.mode, host: host, port: port)
        }
    }
}
