import CascadeCore
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/meetings/{id}/delegates`: the invitation list (set by the secretariat, as JSON or CSV) and
/// the roll call (marked by the secretariat, or by a hall's clerk for the delegates of their hall).
struct DelegateRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    struct DelegateList: Decodable {
        var delegates: [DelegateEntry]
    }

    struct Mark: Decodable {
        var state: String
        var reason: String?
        var representedBy: String?
    }

    /// The largest CSV accepted.
    static let maximumCSVBytes = 1 << 20

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("meetings/:id/delegates") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try dependencies.requireRecordsAccess(meeting, principal)
            return try JSONResponse.make(try dependencies.database.delegates(ofMeeting: meeting.id))
        }
        group.put("meetings/:id/delegates") { request, context in
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            let body = try await JSONBody.decode(DelegateList.self, from: request, allowedFields: ["delegates"])
            try validate(body.delegates, firstLine: 1, field: "delegates")
            return try JSONResponse.make(try dependencies.database.replaceDelegates(ofMeeting: meeting.id, with: body.delegates, actor: principal.name))
        }
        group.post("meetings/:id/delegates") { request, context in
            // One more delegate, added to the list as it stands (the others keep their states).
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            let entry = try await JSONBody.decode(DelegateEntry.self, from: request, allowedFields: ["name", "position", "unitId", "hallId"])
            let current = try dependencies.database.delegates(ofMeeting: meeting.id)
            let entries = current.map { DelegateEntry(name: $0.name, position: $0.position, unitId: $0.unitId, hallId: $0.hallId) } + [entry]
            do throws(DelegateListProblem) {
                try CascadeCore.DelegateList.validate(entries, tree: dependencies.policy.tree, firstLine: 1)
            } catch {
                let field = error.field.isEmpty ? "name" : error.field
                throw Problem.unprocessable("\(field): \(error.reason)", field: field)
            }
            let stored = try dependencies.database.replaceDelegates(ofMeeting: meeting.id, with: entries, actor: principal.name)
            return try JSONResponse.make(stored.last, status: .created)
        }
        group.post("meetings/:id/delegates/copy-previous") { _, context in
            // A series' next occurrence usually invites the same people: take the list of the latest
            // earlier occurrence that has one (roll-call states start again, not called).
            let principal = try context.requirePrincipal()
            let (reference, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            guard case .occurrence(let seriesId, _) = reference, let series = try dependencies.database.series(seriesId) else {
                throw Problem.unprocessable("meeting \(meeting.id) is not an occurrence of a series", field: "id")
            }
            let earlier = series.occurrences(overlapping: Window(start: meeting.start.addingTimeInterval(-400 * 86400), end: meeting.start))
                .filter { $0.start < meeting.start }.sorted { $0.start > $1.start }
            for previous in earlier {
                let list = try dependencies.database.delegates(ofMeeting: previous.id)
                guard !list.isEmpty else { continue }
                let entries = list.map { DelegateEntry(name: $0.name, position: $0.position, unitId: $0.unitId, hallId: $0.hallId) }
                let stored = try dependencies.database.replaceDelegates(ofMeeting: meeting.id, with: entries, actor: principal.name)
                return try JSONResponse.make(stored, status: .created)
            }
            throw Problem(status: .conflict, code: "no-previous-list", detail: "no earlier occurrence of s\(seriesId) has an invitation list")
        }
        group.post("meetings/:id/delegates/import") { request, context in
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            if let type = request.headers[.contentType], !type.lowercased().hasPrefix("text/csv") {
                throw Problem(status: .unsupportedMediaType, code: "unsupported-media-type", detail: "send the list as text/csv with the columns name,position,unit,hall")
            }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: Self.maximumCSVBytes)
            } catch {
                throw Problem(status: .contentTooLarge, code: "body-too-large", detail: "the list is larger than \(Self.maximumCSVBytes) bytes")
            }
            let entries: [DelegateEntry]
            do throws(DelegateListProblem) {
                entries = try CascadeCore.DelegateList.parse(csv: Array(buffer.readableBytesView), tree: dependencies.policy.tree)
            } catch {
                throw Problem.unprocessable("line \(error.line)\(error.field.isEmpty ? "" : ", \(error.field)"): \(error.reason); nothing was imported",
                                            field: error.field.isEmpty ? "line \(error.line)" : "line \(error.line): \(error.field)")
            }
            let stored = try dependencies.database.replaceDelegates(ofMeeting: meeting.id, with: entries, actor: principal.name)
            return try JSONResponse.make(stored, status: .created)
        }
        group.patch("meetings/:id/delegates/:delegateId") { request, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            guard let delegateId = Int64(try context.parameters.require("delegateId")),
                  let delegate = try dependencies.database.delegates(ofMeeting: meeting.id).first(where: { $0.id == delegateId }) else {
                throw Problem.notFound("meeting \(meeting.id) has no such delegate")
            }
            // The secretariat of the hall's unit marks its delegates: a hall's clerk, or the organiser's.
            let hallUnit = dependencies.policy.tree.hall(delegate.hallId)?.unitId ?? meeting.details.organiserUnitId
            if dependencies.policy.decide(principal, .manageMeetings, onUnit: hallUnit) != .allowed {
                try dependencies.authorize(principal, .manageMeetings, onUnit: meeting.details.organiserUnitId)
            }
            let body = try await JSONBody.decode(Mark.self, from: request, allowedFields: ["state", "reason", "representedBy"])
            guard let state = Delegate.State(rawValue: body.state) else {
                throw Problem.unprocessable("state must be one of \(Delegate.State.allCases.map(\.rawValue).joined(separator: ", "))", field: "state")
            }
            if state == .absentWithReason, (body.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw Problem.unprocessable("an absence with a reason needs the reason", field: "reason")
            }
            if state == .represented, (body.representedBy ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw Problem.unprocessable("name who came in their place (name, position)", field: "representedBy")
            }
            if state.tookPart, Date() < meeting.window.start {
                throw Problem(status: .conflict, code: "not-started", detail: "the meeting's rehearsal starts at \(TimeInput.format(meeting.window.start, zone: dependencies.zone)); nobody can be present yet")
            }
            return try JSONResponse.make(try dependencies.database.markDelegate(
                delegateId, ofMeeting: meeting.id, state: state, reason: body.reason, representedBy: body.representedBy, actor: principal.name
            ))
        }
    }

    private func validate(_ entries: [DelegateEntry], firstLine: Int, field: String) throws {
        do throws(DelegateListProblem) {
            try CascadeCore.DelegateList.validate(entries, tree: dependencies.policy.tree, firstLine: firstLine)
        } catch {
            throw Problem.unprocessable("\(field)[\(error.line - 1)].\(error.field): \(error.reason)", field: "\(field)[\(error.line - 1)].\(error.field)")
        }
    }
}
