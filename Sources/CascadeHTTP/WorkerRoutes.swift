import CascadeCore
import CascadeEngine
import CascadeMedia
import Foundation
import Hummingbird

/// `/api/v1/workers` and `/api/v1/demo-feeds`: supervised pipeline processes, for technicians.
struct WorkerRoutes {
    let dependencies: HTTPDependencies

    struct NewDemoFeed: Decodable {
        var output: String
        var caption: String?
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("workers") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readWorkers, onUnit: dependencies.policy.tree.rootUnitId)
            return try JSONResponse.make(await dependencies.supervisor.snapshots())
        }
        group.post("demo-feeds") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .operateMedia, onUnit: dependencies.policy.tree.rootUnitId)
            let body = try await JSONBody.decode(NewDemoFeed.self, from: request, allowedFields: ["output", "caption"])
            let address: SRTAddress
            do {
                address = try SRTAddress(parsing: body.output)
            } catch let error as MediaError {
                throw Problem.unprocessable(error.message, field: "output")
            }
            let caption = String((body.caption ?? "Cascade — tín hiệu thử nghiệm").prefix(200))
            let spec = WorkerSpec(
                id: "demo-feed-\(UUID().uuidString.prefix(8).lowercased())",
                purpose: "demo-feed",
                pipeline: PipelineRecipes.demoFeed(to: address, caption: caption),
                probes: [StatisticsProbe(element: "sink", property: "stats")],
                statisticsInterval: .seconds(1)
            )
            let snapshot = try await dependencies.supervisor.start(spec)
            try dependencies.database.appendAudit(actor: principal.name, action: "worker.started", target: spec.id, details: "demo feed to \(address.mode.rawValue) port \(address.port)")
            return try JSONResponse.make(snapshot, status: .created)
        }
        group.get("workers/:id") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readWorkers, onUnit: dependencies.policy.tree.rootUnitId)
            let id = try context.parameters.require("id")
            guard let snapshot = await dependencies.supervisor.snapshots().first(where: { $0.id == id }) else {
                throw Problem.notFound("no worker \(id)")
            }
            return try JSONResponse.make(snapshot)
        }
        group.delete("workers/:id") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .operateMedia, onUnit: dependencies.policy.tree.rootUnitId)
            let id = try context.parameters.require("id")
            let outcome: WorkerOutcome
            do {
                outcome = try await dependencies.supervisor.stop(id)
            } catch let error as EngineError where error.code == .unknownWorker {
                throw Problem.notFound(error.message)
            }
            try dependencies.database.appendAudit(actor: principal.name, action: "worker.stopped", target: id, details: outcome.kind.rawValue)
            return try JSONResponse.make(outcome)
        }
    }
}
