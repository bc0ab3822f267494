import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/archive/…` and a meeting's legal hold: what retention would delete (the dry run), running
/// it, the integrity check of the parts against their SHA-256. For administrators of the whole tree.
struct RetentionRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    /// What the integrity checks found, kept across restarts.
    struct Findings: Encodable {
        var lastCheckedAt: Date?
        var checkedParts: Int
        var damaged: [Damage]

        struct Damage: Encodable {
            var recordingId: String
            var partIndex: Int
            var problem: String
            var checkedAt: Date
        }
    }

    struct HoldBody: Decodable {
        var reason: String
    }

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("archive/retention") { _, context in
            let keeper = try keeper(context)
            return try JSONResponse.make(try await keeper.plan())
        }
        group.post("archive/retention/run") { _, context in
            let principal = try context.requirePrincipal()
            let keeper = try keeper(context)
            return try JSONResponse.make(try await keeper.apply(actor: principal.name))
        }
        group.get("archive/integrity") { _, context in
            _ = try keeper(context)
            let findings = try dependencies.database.integrityFindings()
            return try JSONResponse.make(Findings(lastCheckedAt: findings.lastCheckedAt, checkedParts: findings.checkedParts, damaged: findings.damaged.map {
                .init(recordingId: "r\($0.recordingId)", partIndex: $0.partIndex, problem: $0.problem, checkedAt: $0.checkedAt)
            }))
        }
        group.post("archive/integrity/run") { _, context in
            let keeper = try keeper(context)
            return try JSONResponse.make(try await keeper.verify())
        }
        group.get("archive/holds") { _, context in
            _ = try keeper(context)
            return try JSONResponse.make(try dependencies.database.holds())
        }
        group.put("meetings/:id/hold") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .manageArchive, onUnit: dependencies.policy.tree.rootUnitId)
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            let body = try await JSONBody.decode(HoldBody.self, from: request, allowedFields: ["reason"])
            guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem.unprocessable("say why the meeting is held", field: "reason") }
            return try JSONResponse.make(try dependencies.database.hold(meeting.id, reason: body.reason, actor: principal.name))
        }
        group.delete("meetings/:id/hold") { _, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .manageArchive, onUnit: dependencies.policy.tree.rootUnitId)
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try dependencies.database.releaseHold(meeting.id, actor: principal.name)
            return Response(status: .noContent)
        }
    }

    private func keeper(_ context: AppRequestContext) throws -> ArchiveKeeper {
        let principal = try context.requirePrincipal()
        try dependencies.authorize(principal, .manageArchive, onUnit: dependencies.policy.tree.rootUnitId)
        guard let keeper = dependencies.archiveKeeper else { throw Problem(status: .serviceUnavailable, code: "unavailable", detail: "the archive keeper is not running") }
        return keeper
    }
}
