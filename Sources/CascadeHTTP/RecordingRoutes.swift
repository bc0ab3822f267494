import CascadeCore
import CascadeEngine
import CascadeStore
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/v1/recordings`: start, stop, read and download recordings.
struct RecordingRoutes {
    let dependencies: HTTPDependencies
    let meetings: MeetingRoutes

    struct NewRecording: Decodable {
        var source: String?
        var relayId: String?
        var meetingId: String?
        var partSeconds: Int?
    }


    func register(on group: RouterGroup<AppRequestContext>) {
        group.post("recordings") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .operateMedia)
            let body = try await JSONBody.decode(NewRecording.self, from: request, allowedFields: ["source", "relayId", "meetingId", "partSeconds"])
            let partSeconds = try body.partSeconds.map { seconds in
                guard (5...14_400).contains(seconds) else { throw Problem.unprocessable("partSeconds must be 5–14400", field: "partSeconds") }
                return seconds
            } ?? dependencies.defaultPartSeconds
            let id: Int64
            switch (body.source, body.relayId) {
            case (let source?, nil):
                try dependencies.checkSourceAddress(source, for: principal)
                try authorizeMeeting(body.meetingId, principal)
                id = try await service().start(source: source, meetingId: body.meetingId, partSeconds: partSeconds, actor: principal.name)
            case (nil, let relayText?):
                // Scope is checked on the relay itself, before any tap is opened; the recording belongs
                // to the relay's meeting, whatever the caller says beside it.
                let relay = try operableRelay(relayText, principal)
                if let given = body.meetingId, given != relay.meetingId {
                    throw Problem.unprocessable("relay \(relayText) belongs to \(relay.meetingId.map { "meeting \($0)" } ?? "no meeting"); leave meetingId out", field: "meetingId")
                }
                try authorizeMeeting(relay.meetingId, principal)
                guard let relays = dependencies.relays else { throw Problem.unprocessable("no relay \(relayText)", field: "relayId") }
                do {
                    id = try await service().record(relay: relay.id, of: relays, meetingId: relay.meetingId, partSeconds: partSeconds, actor: principal.name)
                } catch let error as RecordingError where error.code == .invalidSource {
                    throw Problem.unprocessable(error.message, field: "relayId")
                }
            case (nil, nil):
                throw Problem.badRequest("give \"source\" or \"relayId\"", field: "source")
            case (_?, _?):
                throw Problem.badRequest("give either \"source\" or \"relayId\", not both", field: "relayId")
            }
            var response = try JSONResponse.make(RecordingView(try recording(id), showsSource: true), status: .created)
            response.headers[.location] = "/api/v1/recordings/r\(id)"
            return response
        }
        // Newest first, a page at a time (`limit`, 1–500, default 100; `before=rN`): a server keeps years of
        // recordings. `Link: <…>; rel="next"` names the next page while there is one.
        group.get("recordings") { request, context in
            let principal = try context.requirePrincipal()
            try dependencies.authorize(principal, .readMeetings)
            let query = request.uri.queryParameters
            var limit = 100
            if let text = query.get("limit") {
                guard let value = Int(text), (1...500).contains(value) else { throw Problem.unprocessable("limit must be 1–500", field: "limit") }
                limit = value
            }
            var before: Int64?
            if let text = query.get("before") {
                guard text.hasPrefix("r"), let value = Int64(text.dropFirst()) else { throw Problem.unprocessable("before must be a recording id such as r12", field: "before") }
                before = value
            }
            let (pageBefore, pageLimit) = (before, limit)
            let page = try await dependencies.offloaded { try $0.recordings(before: pageBefore, limit: pageLimit) }
            var response = try JSONResponse.make(page.filter { isVisible($0, to: principal) }.map { RecordingView($0, showsSource: principal.role.allows(.operateMedia)) })
            if page.count == limit, let oldest = page.last {
                response.headers[HTTPField.Name("Link")!] = "</api/v1/recordings?before=r\(oldest.id)&limit=\(limit)>; rel=\"next\""
            }
            return response
        }
        group.get("recordings/:id") { _, context in
            let principal = try context.requirePrincipal()
            return try JSONResponse.make(RecordingView(try visibleRecording(try context.parameters.require("id"), principal), showsSource: principal.role.allows(.operateMedia)))
        }
        group.delete("recordings/:id") { _, context in
            let principal = try context.requirePrincipal()
            let recording = try visibleRecording(try context.parameters.require("id"), principal)
            try authorizeMeeting(recording.meetingId, principal)
            try await service().stop(recording.id, actor: principal.name)
            return try JSONResponse.make(RecordingView(try self.recording(recording.id), showsSource: true))
        }
        group.get("recordings/:id/parts/:index") { request, context in
            let principal = try context.requirePrincipal()
            let recording = try visibleRecording(try context.parameters.require("id"), principal)
            // `0.mp4` (as playlists name it, for players that want a media extension) or `0`.
            let indexText = try context.parameters.require("index")
            guard let index = Int(indexText.hasSuffix(".mp4") ? String(indexText.dropLast(4)) : indexText),
                  let part = recording.parts.first(where: { $0.index == index }) else {
                throw Problem.notFound("recording r\(recording.id) has no such part (it has \(recording.parts.count))")
            }
            // A confidential meeting's media are for the named roles; so are those of a meeting that can no longer be read.
            if let meetingId = recording.meetingId, !dependencies.confidentialMediaRoles.contains(principal.role) {
                let meeting = try MeetingReference(meetingId).flatMap { try dependencies.database.meeting($0) }
                if meeting?.details.classification != .public && meeting?.details.classification != .internal {
                    throw Problem.forbidden("recording r\(recording.id) is of a confidential (or no longer readable) meeting: its media are for \(dependencies.confidentialMediaRoles.map(\.rawValue).sorted().joined(separator: ", ")) only")
                }
            }
            // The whole part is audited every time; ranges (a player's segments) once per person and part in ten minutes.
            let range = request.headers[.range]
            if range == nil || dependencies.partAudit.isDue(principal.name, recording: recording.id, part: index) {
                try dependencies.database.appendAudit(actor: principal.name, action: "media.part", target: recording.meetingId ?? "r\(recording.id)",
                                                      details: "r\(recording.id) part \(index) \(range ?? "whole")")
            }
            guard recording.deletedAt == nil else { throw Problem(status: .gone, code: "deleted", detail: "recording r\(recording.id) was deleted by retention") }
            return try await partResponse(recording, part, request: request, context: context)
        }
    }

    /// The part's bytes (or the requested range), read with non-blocking file I/O on NIO's thread pool:
    /// twenty people downloading a meeting must not hold the two threads every other request needs.
    func partResponse(_ recording: Recording, _ part: RecordingPart, request: Request, context: AppRequestContext) async throws -> Response {
        let path = (try service().directory(of: recording.id) as NSString).appendingPathComponent(part.fileName)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw Problem.notFound("the file of part \(part.index) is missing; run cascade recordings verify")
        }
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        // A closed part is named by its hash; one still growing by its size and time (weak).
        let etag = part.state == .recording ? "W/\"\(size)-\(Int(modified))\"" : "\"\(part.sha256 ?? "\(size)")\""
        var headers: HTTPFields = [.contentType: "video/mp4", .acceptRanges: "bytes", .eTag: etag]
        if let match = request.headers[.ifNoneMatch], match == etag {
            return Response(status: .notModified, headers: headers)
        }
        let first: Int64, last: Int64, status: HTTPResponse.Status
        switch ByteRange.resolve(request.headers[.range], size: size) {
        case .whole:
            (first, last, status) = (0, size - 1, .ok)
        case .part(let from, let to):
            (first, last, status) = (from, to, .partialContent)
            headers[.contentRange] = "bytes \(from)-\(to)/\(size)"
        case .unsatisfiable(let reason):
            throw Problem(status: .rangeNotSatisfiable, code: "range-not-satisfiable", detail: reason).withHeader(.contentRange, "bytes */\(size)")
        case .malformed(let reason):
            throw Problem.badRequest(reason, field: "Range")
        }
        let length = max(0, last - first + 1)
        headers[.contentLength] = String(length)
        guard length > 0 else { return Response(status: status, headers: headers) }
        let body = try await FileIO().loadFile(path: path, range: Int(first)...Int(last), context: context, chunkLength: 256 << 10)
        return Response(status: status, headers: headers, body: body)
    }

    /// Refuses unless `principal` operates media for the meeting's organiser (or, for a recording of
    /// no meeting, for the whole tree). A meeting outside the caller's subtree answers like a missing one.
    private func authorizeMeeting(_ meetingId: String?, _ principal: Principal) throws {
        guard let meetingId else {
            try dependencies.authorize(principal, .operateMedia, onUnit: dependencies.policy.tree.rootUnitId)
            return
        }
        guard let reference = MeetingReference(meetingId), let meeting = try dependencies.database.meeting(reference),
              meetings.isVisible(meeting, to: principal) else {
            throw Problem.unprocessable("no meeting \(meetingId)", field: "meetingId")
        }
        try dependencies.authorize(principal, .operateMedia, onUnit: meeting.details.organiserUnitId)
    }

    /// The relay named `text`, if the caller may see it and operates the media of every hall it serves.
    private func operableRelay(_ text: String, _ principal: Principal) throws -> RelaySummary {
        guard text.hasPrefix("rl"), let id = Int64(text.dropFirst(2)), let relay = try dependencies.database.relay(id) else {
            throw Problem.unprocessable("no relay \(text)", field: "relayId")
        }
        let tree = dependencies.policy.tree
        let units = relay.halls.filter { $0.removedAt == nil }.compactMap { tree.hall($0.hallId)?.unitId }
        guard principal.scopeUnitId == nil || units.contains(where: { dependencies.policy.canSee(principal, unit: $0) }) else {
            throw Problem.unprocessable("no relay \(text)", field: "relayId")
        }
        for unit in units { try dependencies.authorize(principal, .operateMedia, onUnit: unit) }
        return relay
    }

    private func service() throws -> RecordingService {
        guard let recordings = dependencies.recordings else { throw Problem(status: .serviceUnavailable, code: "unavailable", detail: "recording is not running") }
        return recordings
    }

    private func recording(_ id: Int64) throws -> Recording {
        guard let recording = try dependencies.database.recording(id) else { throw Problem.notFound("no recording r\(id)") }
        return recording
    }

    private func visibleRecording(_ text: String, _ principal: Principal) throws -> Recording {
        try dependencies.authorize(principal, .readMeetings)
        guard text.hasPrefix("r"), let id = Int64(text.dropFirst()) else { throw Problem.notFound("no recording \(text)") }
        let recording = try recording(id)
        guard isVisible(recording, to: principal) else { throw Problem.forbidden("recording \(text) belongs to no meeting of your subtree") }
        return recording
    }

    private func isVisible(_ recording: Recording, to principal: Principal) -> Bool {
        guard principal.scopeUnitId != nil else { return true }
        guard let meetingId = recording.meetingId, let reference = MeetingReference(meetingId),
              let meeting = try? dependencies.database.meeting(reference) else { return false }
        return meetings.isVisible(meeting, to: principal)
    }
}
