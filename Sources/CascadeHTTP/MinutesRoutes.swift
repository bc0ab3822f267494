import CascadeCore
import CascadeStore
import Foundation
import Hummingbird

/// `/api/v1/meetings/{id}/minutes`: the minutes the secretariat writes, every version kept, with the
/// live "agenda item starts now" action.
struct MinutesRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    static let fields: Set<String> = ["chair", "secretary", "notes", "agenda", "documents"]

    func register(on group: RouterGroup<AppRequestContext>) {
        group.get("meetings/:id/minutes") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try dependencies.requireRecordsAccess(meeting, principal)
            guard let minutes = try dependencies.database.minutes(meeting.id) else { throw Problem.notFound("meeting \(meeting.id) has no minutes yet") }
            return try JSONResponse.make(minutes)
        }
        group.put("meetings/:id/minutes") { request, context in
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            // A document given without a date was issued on the meeting's day.
            let meetingDate = Zone(dependencies.zone).local(meeting.start).date
            let content = try await JSONBody.decode(MinutesContent.self, from: request, allowedFields: Self.fields,
                                                    userInfo: [IssuedDocument.defaultDateKey: meetingDate])
            return try JSONResponse.make(try save(content, of: meeting, principal))
        }
        group.get("meetings/:id/minutes/versions") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try dependencies.requireRecordsAccess(meeting, principal)
            return try JSONResponse.make(try dependencies.database.minutesVersions(meeting.id))
        }
        group.get("meetings/:id/minutes/versions/:version") { _, context in
            let principal = try context.requirePrincipal()
            let meeting = try meetings.visibleMeeting(try context.parameters.require("id"), principal)
            try dependencies.requireRecordsAccess(meeting, principal)
            let text = try context.parameters.require("version")
            guard let version = Int(text), let minutes = try dependencies.database.minutesVersions(meeting.id).first(where: { $0.version == version }) else {
                throw Problem.notFound("meeting \(meeting.id) has no version \(text) of its minutes")
            }
            return try JSONResponse.make(minutes)
        }
        group.post("meetings/:id/minutes/versions") { _, context in
            // After a final version, a change starts here: a new draft copied from it.
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            return try JSONResponse.make(try dependencies.database.startMinutesVersion(meeting.id, actor: principal.name), status: .created)
        }
        group.post("meetings/:id/minutes/final") { _, context in
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            return try JSONResponse.make(try dependencies.database.finaliseMinutes(meeting.id, actor: principal.name))
        }
        group.post("meetings/:id/minutes/items/:item/mark") { _, context in
            // "This item starts now": its start is the time since the recording began; the item before ends there.
            let principal = try context.requirePrincipal()
            let (_, meeting) = try meetings.managedMeeting(try context.parameters.require("id"), principal)
            let text = try context.parameters.require("item")
            guard let current = try dependencies.database.minutes(meeting.id) else {
                throw Problem.conflict("meeting \(meeting.id) has no minutes yet: write the agenda first")
            }
            guard let number = Int(text), current.content.agenda.indices.contains(number) else {
                throw Problem.notFound("the agenda of \(meeting.id) has no item \(text) (items are numbered from 0; it has \(current.content.agenda.count))")
            }
            let origin = try dependencies.database.recordings(ofMeeting: meeting.id).filter { $0.deletedAt == nil }.flatMap(\.parts).map(\.startedAt).min()
            guard let origin else { throw Problem.conflict("nothing of \(meeting.id) is recorded yet: items are marked against its recording") }
            let seconds = (Date().timeIntervalSince(origin) * 10).rounded() / 10
            guard let content = current.content.markingItem(number, startsAt: seconds) else { throw Problem.conflict("item \(number) cannot start at \(seconds) s") }
            return try JSONResponse.make(try save(content, of: meeting, principal))
        }
    }

    private func save(_ content: MinutesContent, of meeting: Meeting, _ principal: Principal) throws -> Minutes {
        do throws(MinutesProblem) {
            try dependencies.minutesRules.validate(content)
        } catch {
            throw Problem.unprocessable("\(error.field): \(error.reason)", field: error.field)
        }
        return try dependencies.database.saveMinutes(meeting.id, content: content, issuingUnitId: meeting.details.organiserUnitId, actor: principal.name)
    }
}
