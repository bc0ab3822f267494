import CascadeCore
import CascadeEngine
import Foundation
import Hummingbird

/// `/api/v1/workers` and `/api/v1/demo-feeds`: supervised pipeline processes, for technicians.
struct WorkerRoutes {
    let dependencies: HTTPDependencies

    /// The answer to stopping a relay's or a recording's worker: its job replaces it.
    struct WorkerReplacement: Encodable {
        var id: String
        var detail: String
    }

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
            let started = try await dependencies.supervisor.startDemoFeed(to: body.output, caption: body.caption ?? "Cascade — tín hiệu thử nghiệm")
            try dependencies.database.appendAudit(actor: principal.name, action: "worker.started", target: started.worker.id, details: "demo feed to \(started.destination)")
            return try JSONResponse.make(started.worker, status: .created)
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
            // A relay's or a recording's worker belongs to its job: the job ends it and starts another.
            if let owned = JobWorkerID(id) {
                let replaced: Bool
                switch owned.job {
                case .relay: replaced = await dependencies.relays?.replaceWorker(owned) ?? false
                case .recording: replaced = await dependencies.recordings?.replaceWorker(owned) ?? false
                }
                guard replaced else { throw Problem.notFound("no running worker \(id)") }
                try dependencies.database.appendAudit(actor: principal.name, action: "worker.replaced", target: id)
                return try JSONResponse.make(WorkerReplacement(id: id, detail: "its \(owned.recordingId == nil ? "relay" : "recording") ends it and starts another"), status: .accepted)
            }
            let outcome = try await dependencies.supervisor.stop(id)
            try dependencies.database.appendAudit(actor: principal.name, action: "worker.stopped", target: id, details: outcome.kind.rawValue)
            return try JSONResponse.make(outcome)
        }
    }
}
